"""Generated sequences of steps by generated people: whatever is tried, the report's state is
the replay of the steps that succeeded, the history is one unbroken chain, every success is
audited once, and a value can change exactly when the report is editable."""

from __future__ import annotations

import pytest
from cycle_builders import DISTRICT, Cycle, build_cycle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv.cycle import approval, periods
from ecociv.store.errors import StoreError
from ecociv.store.models import AuditEntry
from ecociv.store.services import observations

PEOPLE = ("filler_env", "filler_nr", "reviewer", "approver", "approver_b", "viewer", ADMIN)
STEPS = ("submit", "review", "return", "approve", "unlock")
PM25 = "细颗粒物（PM2.5）年均浓度"


@pytest.fixture
def cycle(tree: Session) -> Cycle:
    built = build_cycle(tree)
    for name in (PM25, "空气质量优良天数比例"):
        observations.save_observation(
            tree,
            ADMIN,
            region_code=DISTRICT,
            indicator_code=built.code(name),
            year=2023,
            text="30",
        )
    tree.commit()
    return built


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tries=st.lists(
        st.tuples(st.sampled_from(PEOPLE), st.sampled_from(STEPS), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_any_sequence_leaves_a_consistent_report(cycle: Cycle, tries) -> None:
    session = cycle.session
    report_id = cycle.reports["env"]
    flow = approval.workflow()
    for person, step, with_comment in tries:
        report = periods.get_report(session, report_id)
        before = (report.state, report.version)
        actor = person if person == ADMIN else cycle.user(person)
        try:
            approval.fire(
                session,
                actor,
                report_id,
                step,
                expected_version=report.version,
                comment="核对意见" if with_comment else None,
            )
            session.commit()
        except StoreError:
            session.rollback()
            report = periods.get_report(session, report_id)
            assert (report.state, report.version) == before  # a refusal changes nothing
        else:
            assert report.state == flow.fire(
                before[0], step, {"filler", "reviewer", "approver"}, comment="x"
            )
        editable = report.state in approval.editable_states()
        current = observations.get_observation(session, DISTRICT, cycle.code(PM25), 2023)
        try:
            observations.save_observation(
                session,
                cycle.user("filler_env"),
                region_code=DISTRICT,
                indicator_code=cycle.code(PM25),
                year=2023,
                text="29",
                expected_version=current.version,
            )
            session.commit()
            assert editable
        except StoreError:
            session.rollback()
            assert not editable
    report = periods.get_report(session, report_id)
    session.refresh(report)
    state = flow.initial
    for step in report.steps:
        assert step.from_state == state
        state = step.to_state
    assert state == report.state
    audited = session.scalar(
        select(func.count()).where(
            AuditEntry.entity == "period_report",
            AuditEntry.entity_key.like(f"{report.period_id}/%"),
        )
    )
    assert audited == len(report.steps)
