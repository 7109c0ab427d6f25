"""The reporting cycle's services: periods, submit → review → approve (lock) with return and
unlock, the lock on values, who may do what, completeness and timeliness (SQLite and
PostgreSQL through the ``session`` fixture)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from cycle_builders import DEADLINE, DISTRICT, Cycle, build_cycle
from sqlalchemy import select
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv import notify
from ecociv.cycle import approval, ownership, periods, tasks
from ecociv.store.errors import Conflict, Forbidden, NotFound, ValidationError
from ecociv.store.models import AuditEntry
from ecociv.store.services import observations
from ecociv.store.services.assessment import assess_plan
from ecociv.workflow import MissingInput, NotAvailable, NotPermitted

PM25 = "细颗粒物（PM2.5）年均浓度"
GOOD_DAYS = "空气质量优良天数比例"
FOREST = "林草覆盖率"


@pytest.fixture
def cycle(tree: Session) -> Cycle:
    return build_cycle(tree)


def _enter(cycle: Cycle, actor, name: str, text: str, version: int | None = None):
    saved = observations.save_observation(
        cycle.session,
        actor,
        region_code=DISTRICT,
        indicator_code=cycle.code(name),
        year=2023,
        text=text,
        source="2023年环境质量公报",
        expected_version=version,
    )
    cycle.session.commit()
    return saved


def _fire(cycle: Cycle, actor, department: str, transition: str, **kwargs):
    report = periods.get_report(cycle.session, cycle.reports[department])
    fired = approval.fire(
        cycle.session,
        actor,
        report.id,
        transition,
        expected_version=kwargs.pop("version", report.version),
        **kwargs,
    )
    cycle.session.commit()
    return fired


def test_opening_makes_one_draft_report_per_department(cycle: Cycle) -> None:
    period = periods.get_period(cycle.session, cycle.period_id)
    assert (period.year, period.deadline) == (2023, DEADLINE)
    assert sorted(r.state for r in period.reports) == ["draft", "draft"]
    with pytest.raises(Conflict, match="already open"):
        periods.open_period(
            cycle.session, ADMIN, plan_id=cycle.plan_id, year=2023, deadline=DEADLINE
        )
    cycle.session.rollback()
    with pytest.raises(ValidationError, match="outside the plan period"):
        periods.open_period(
            cycle.session, ADMIN, plan_id=cycle.plan_id, year=2035, deadline=date(2036, 3, 1)
        )
    with pytest.raises(ValidationError, match="before the year reported"):
        periods.open_period(
            cycle.session, ADMIN, plan_id=cycle.plan_id, year=2024, deadline=date(2023, 12, 1)
        )
    with pytest.raises(ValidationError, match="not inside the plan's region"):
        periods.open_period(
            cycle.session,
            ADMIN,
            plan_id=cycle.plan_id,
            year=2024,
            deadline=DEADLINE,
            region_codes=["990102"],
        )
    with pytest.raises(Forbidden):
        periods.open_period(
            cycle.session,
            cycle.user("filler_env"),
            plan_id=cycle.plan_id,
            year=2024,
            deadline=date(2025, 3, 1),
        )


def test_opening_needs_owners(tree: Session) -> None:
    bare = build_cycle(tree, open_period=False)
    from store_builders import make_plan

    from ecociv.store.services import plans

    other = plans.import_plan(tree, ADMIN, make_plan(name="另一规划"), region_code=DISTRICT)
    with pytest.raises(
        ValidationError, match="no indicator of this plan has a responsible department"
    ):
        periods.open_period(tree, ADMIN, plan_id=other.plan_id, year=2023, deadline=DEADLINE)
    with pytest.raises(NotFound):
        ownership.set_owner(
            tree, ADMIN, plan_id=bare.plan_id, indicator_code="x.y", department_code="env"
        )
    with pytest.raises(ValidationError, match="reporting frequency daily"):
        ownership.set_owner(
            tree,
            ADMIN,
            plan_id=bare.plan_id,
            indicator_code=bare.code(PM25),
            department_code="env",
            frequency="daily",
        )


def test_submit_return_fix_resubmit_approve_lock_unlock(cycle: Cycle) -> None:
    filler, reviewer, approver = (cycle.user(n) for n in ("filler_env", "reviewer", "approver"))
    _enter(cycle, filler, PM25, "31")
    with pytest.raises(ValidationError) as incomplete:
        _fire(cycle, filler, "env", "submit")
    assert f"还有 1 项指标未填报（{GOOD_DAYS}）" in incomplete.value.zh
    cycle.session.rollback()
    _enter(cycle, filler, GOOD_DAYS, "88.1")
    assert _fire(cycle, filler, "env", "submit").state == "submitted"
    [notice] = notify.inbox(cycle.session, "reviewer")
    assert notice.subject.endswith("2023 年填报：上报（西溪区）") and notice.link == (
        f"/reports/{cycle.reports['env']}"
    )
    assert notify.inbox(cycle.session, "approver") == []  # not their turn yet
    with pytest.raises(Conflict, match="submitted for review and cannot change"):
        _enter(cycle, filler, PM25, "30", version=1)
    cycle.session.rollback()
    with pytest.raises(MissingInput, match="needs a comment"):
        _fire(cycle, reviewer, "env", "return")
    cycle.session.rollback()
    returned = _fire(
        cycle,
        reviewer,
        "env",
        "return",
        comment="PM2.5 与省站数据不符",
        returned={cycle.code(PM25): "请按省站年报 29 核对"},
    )
    assert returned.state == "returned"
    assert {c: r.comment for c, r in approval.open_returns(cycle.session, returned).items()} == {
        cycle.code(PM25): "请按省站年报 29 核对"
    }
    _enter(cycle, filler, PM25, "29", version=1)
    _fire(cycle, filler, "env", "submit")
    assert approval.open_returns(cycle.session, returned) == {}
    with pytest.raises(NotAvailable):
        _fire(cycle, filler, "env", "submit")  # already submitted
    cycle.session.rollback()
    _fire(cycle, reviewer, "env", "review")
    with pytest.raises(NotPermitted):
        _fire(cycle, reviewer, "env", "approve")
    cycle.session.rollback()
    locked = _fire(cycle, approver, "env", "approve")
    assert locked.state == "approved"
    with pytest.raises(Conflict, match="approved and locked"):
        _enter(cycle, filler, PM25, "28", version=2)
    cycle.session.rollback()
    with pytest.raises(Conflict, match="approved and locked"):
        observations.delete_observation(
            cycle.session,
            ADMIN,
            region_code=DISTRICT,
            indicator_code=cycle.code(PM25),
            year=2023,
            expected_version=2,
        )
    cycle.session.rollback()
    unlocked = _fire(cycle, approver, "env", "unlock", comment="省厅通知更正PM2.5")
    assert unlocked.state == "returned"
    _enter(cycle, filler, PM25, "28", version=2)
    cycle.session.commit()
    steps = [(s.transition, s.from_state, s.to_state, s.actor) for s in unlocked.steps]
    assert steps == [
        ("submit", "draft", "submitted", "filler_env"),
        ("return", "submitted", "returned", "reviewer"),
        ("submit", "returned", "submitted", "filler_env"),
        ("review", "submitted", "reviewed", "reviewer"),
        ("approve", "reviewed", "approved", "approver"),
        ("unlock", "approved", "returned", "approver"),
    ]
    audit = cycle.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "period_report", AuditEntry.action == "unlock"
        )
    ).one()
    assert audit.actor == "approver" and audit.after["comment"] == "省厅通知更正PM2.5"
    assert (audit.before["state"], audit.after["state"]) == ("approved", "returned")


def test_who_may_take_which_step(cycle: Cycle) -> None:
    env_filler, nr_filler = cycle.user("filler_env"), cycle.user("filler_nr")
    for name in (PM25, GOOD_DAYS):
        _enter(cycle, env_filler, name, "30")
    with pytest.raises(Forbidden, match="not responsible for this indicator"):
        _enter(cycle, env_filler, FOREST, "61")
    cycle.session.rollback()
    no_part, wrong_role = Forbidden, NotPermitted
    submitting = {
        "filler_nr": no_part,  # another department's filler
        "reviewer": wrong_role,
        "approver": wrong_role,
        "editor_b": no_part,  # another district
        "approver_b": no_part,
        "viewer": no_part,
    }
    for name, refusal in submitting.items():
        with pytest.raises(refusal):
            _fire(cycle, cycle.user(name), "env", "submit")
        cycle.session.rollback()
    _fire(cycle, env_filler, "env", "submit")
    reviewing = {"filler_env": wrong_role, "filler_nr": no_part, "approver": wrong_role}
    for name, refusal in (reviewing | {"approver_b": no_part, "viewer": no_part}).items():
        with pytest.raises(refusal):
            _fire(cycle, cycle.user(name), "env", "review")
        cycle.session.rollback()
    assert nr_filler.department_id != env_filler.department_id


def test_a_stale_version_is_refused(cycle: Cycle) -> None:
    filler = cycle.user("filler_env")
    for name in (PM25, GOOD_DAYS):
        _enter(cycle, filler, name, "30")
    _fire(cycle, filler, "env", "submit")
    with pytest.raises(Conflict, match="reload") as refused:
        _fire(cycle, cycle.user("reviewer"), "env", "review", version=1)
    assert refused.value.current is not None and refused.value.current["state"] == "submitted"


def test_completeness_and_timeliness(cycle: Cycle) -> None:
    filler = cycle.user("filler_env")
    _enter(cycle, filler, PM25, "30")
    period = periods.get_period(cycle.session, cycle.period_id)
    before = tasks.period_overview(cycle.session, period, datetime(2024, 3, 31, 15, 59, tzinfo=UTC))
    assert {r.department_code: (r.filled, r.total, r.overdue) for r in before["reports"]} == {
        "env": (1, 2, False),
        "nr": (0, 2, False),
    }
    _enter(cycle, filler, GOOD_DAYS, "90")
    _fire(cycle, filler, "env", "submit", now=datetime(2024, 3, 31, 15, 59, tzinfo=UTC))
    after = tasks.period_overview(cycle.session, period, datetime(2024, 3, 31, 16, 1, tzinfo=UTC))
    by_department = {row["name"]: row for row in after["by_department"]}
    assert by_department["生态环境分局"] | {} == {
        "name": "生态环境分局",
        "reports": 1,
        "indicators": 2,
        "filled": 2,
        "complete": 1.0,
        "submitted": 1,
        "on_time": 1,
        "overdue": 0,
        "approved": 0,
    }
    assert (by_department["自然资源局"]["overdue"], by_department["自然资源局"]["complete"]) == (
        1,
        0.0,
    )
    assert after["by_region"] == [
        {
            "name": "西溪区",
            "reports": 2,
            "indicators": 4,
            "filled": 2,
            "complete": 0.5,
            "submitted": 1,
            "on_time": 1,
            "overdue": 1,
            "approved": 0,
        }
    ]
    mine = tasks.my_reports(cycle.session, filler, datetime(2024, 1, 1, tzinfo=UTC))
    assert [(r.department_code, r.state) for r in mine] == [("env", "submitted")]
    reviewer_sees = tasks.my_reports(
        cycle.session, cycle.user("reviewer"), datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert sorted(r.department_code for r in reviewer_sees) == ["env", "nr"]
    assert (
        tasks.my_reports(cycle.session, cycle.user("approver_b"), datetime(2024, 1, 1, tzinfo=UTC))
        == []
    )


def test_approved_only_reads_locked_values(cycle: Cycle) -> None:
    filler = cycle.user("filler_env")
    for name, text in ((PM25, "27"), (GOOD_DAYS, "91")):
        _enter(cycle, filler, name, text)
    cycle.session.commit()

    def observed(**kwargs) -> set[str]:
        result = assess_plan(cycle.session, cycle.plan_id, **kwargs)
        return {row.name for row in result.indicators if row.observed}

    assert observed() == {PM25, GOOD_DAYS}
    assert observed(approved_only=True) == set()
    _fire(cycle, filler, "env", "submit")
    _fire(cycle, cycle.user("reviewer"), "env", "review")
    _fire(cycle, cycle.user("approver"), "env", "approve")
    assert observed(approved_only=True) == {PM25, GOOD_DAYS}
