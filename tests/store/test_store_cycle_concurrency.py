"""Twenty simultaneous submissions and approvals of one period lose nothing and leave one
consistent state (SQLite and PostgreSQL): every thread has its own session, all start at
once (a barrier), and the outcome is checked against the reports' history and the audit log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.cycle import approval, ownership, periods
from ecociv.store.db import session_factory, unit_of_work
from ecociv.store.errors import Conflict
from ecociv.store.models import AuditEntry, Observation
from ecociv.store.services import departments, observations, plans, regions, users
from ecociv.store.tables.cycle import PeriodReport, ReportStep

THREADS = 20
DISTRICT = "990101"


def _race(engine, work: Callable[[Session, int], object]) -> list[object]:
    """Run ``work(session, i)`` in THREADS threads released together; each commits its own
    unit of work; the outcome (a value or the exception raised) per thread."""
    factory = session_factory(engine)
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = [None] * THREADS

    def run(i: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(factory) as session:
                outcomes[i] = work(session, i)
        except Exception as error:  # the test inspects every outcome
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _setup(engine) -> tuple[int, list[str]]:
    """A plan of THREADS indicators, one department and one filler per indicator, and the
    2023 period open with THREADS draft reports."""
    rows = [("生态环境", "%", f"指标{i:02d}比例", "50", "≥60") for i in range(THREADS)]
    with unit_of_work(session_factory(engine)) as session:
        regions.create_region(session, ADMIN, code="99", name="测试省", level="province")
        regions.create_region(
            session, ADMIN, code="9901", name="青岚市", level="city", parent_code="99"
        )
        regions.create_region(
            session, ADMIN, code=DISTRICT, name="西溪区", level="county", parent_code="9901"
        )
        version = plans.import_plan(
            session, ADMIN, make_plan(indicators=rows), region_code=DISTRICT
        )
        codes = [row.code for row in version.indicators]
        for i, code in enumerate(codes):
            departments.create_department(session, ADMIN, code=f"d{i:02d}", name=f"部门{i:02d}")
            ownership.set_owner(
                session,
                ADMIN,
                plan_id=version.plan_id,
                indicator_code=code,
                department_code=f"d{i:02d}",
            )
            users.create_user(
                session,
                ADMIN,
                name=f"filler{i:02d}",
                password=None,
                role="filler",
                region_code=DISTRICT,
            )
            departments.assign_user(session, ADMIN, f"filler{i:02d}", f"d{i:02d}")
        for role in ("reviewer", "approver"):
            users.create_user(
                session, ADMIN, name=role, password=None, role=role, region_code=DISTRICT
            )
        period = periods.open_period(
            session, ADMIN, plan_id=version.plan_id, year=2023, deadline=date(2024, 3, 31)
        )
        return period.id, codes


def _report_ids(engine, period_id: int) -> list[int]:
    with session_factory(engine)() as session:
        return list(
            session.scalars(
                select(PeriodReport.id)
                .where(PeriodReport.period_id == period_id)
                .order_by(PeriodReport.department_id)
            )
        )


def test_twenty_departments_submit_at_once(engine) -> None:
    period_id, codes = _setup(engine)
    report_ids = _report_ids(engine, period_id)

    def fill_and_submit(session: Session, i: int) -> str:
        filler = users.get_user(session, f"filler{i:02d}")
        observations.save_observation(
            session,
            filler,
            region_code=DISTRICT,
            indicator_code=codes[i],
            year=2023,
            text=str(60 + i),
        )
        return approval.fire(session, filler, report_ids[i], "submit", expected_version=1).state

    outcomes = _race(engine, fill_and_submit)
    assert outcomes == ["submitted"] * THREADS
    with session_factory(engine)() as session:
        states = session.scalars(
            select(PeriodReport.state).where(PeriodReport.period_id == period_id)
        )
        assert sorted(states) == ["submitted"] * THREADS
        assert session.scalar(select(func.count()).select_from(Observation)) == THREADS
        assert session.scalar(select(func.count()).select_from(ReportStep)) == THREADS
        submits = select(func.count()).where(AuditEntry.action == "submit")
        assert session.scalar(submits) == THREADS


def test_twenty_racing_decisions_on_one_report_leave_one_winner(engine) -> None:
    period_id, codes = _setup(engine)
    report_id = _report_ids(engine, period_id)[0]
    factory = session_factory(engine)
    with unit_of_work(factory) as session:
        filler = users.get_user(session, "filler00")
        observations.save_observation(
            session, filler, region_code=DISTRICT, indicator_code=codes[0], year=2023, text="61"
        )
        approval.fire(session, filler, report_id, "submit", expected_version=1)
    with unit_of_work(factory) as session:
        approval.fire(session, "reviewer", report_id, "review", expected_version=2)

    def decide(session: Session, i: int) -> str:
        """Even threads approve, odd threads return, all from the version they read (3)."""
        if i % 2 == 0:
            actor = users.get_user(session, "approver")
            return approval.fire(session, actor, report_id, "approve", expected_version=3).state
        actor = users.get_user(session, "reviewer")
        return approval.fire(
            session, actor, report_id, "return", expected_version=3, comment=f"退回{i}"
        ).state

    outcomes = _race(engine, decide)
    winners = [o for o in outcomes if isinstance(o, str)]
    losers = [o for o in outcomes if not isinstance(o, str)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in losers), losers
    with factory() as session:
        report = session.get(PeriodReport, report_id)
        assert report is not None and report.state == winners[0] and report.version == 4
        steps = [(s.transition, s.from_state, s.to_state) for s in report.steps]
        assert steps[:2] == [("submit", "draft", "submitted"), ("review", "submitted", "reviewed")]
        assert len(steps) == 3 and steps[2][1:] == ("reviewed", winners[0])
        decisions = select(func.count()).where(
            AuditEntry.entity == "period_report", AuditEntry.action.in_(["approve", "return"])
        )
        assert session.scalar(decisions) == 1


def test_saves_racing_an_approval_never_change_locked_data(engine) -> None:
    """One thread approves while nineteen try to change the value: every change that was
    accepted is in the history before the approval, and the approved value is the last one."""
    period_id, codes = _setup(engine)
    report_id = _report_ids(engine, period_id)[0]
    factory = session_factory(engine)
    with unit_of_work(factory) as session:
        observations.save_observation(
            session, ADMIN, region_code=DISTRICT, indicator_code=codes[0], year=2023, text="61"
        )
        approval.fire(session, ADMIN, report_id, "submit", expected_version=1)
        approval.fire(session, ADMIN, report_id, "review", expected_version=2)
        approval.fire(session, ADMIN, report_id, "return", expected_version=3, comment="再核")

    def act(session: Session, i: int) -> object:
        if i == 0:
            approval.fire(session, ADMIN, report_id, "submit", expected_version=4)
            return "submitted"
        current = observations.get_observation(session, DISTRICT, codes[0], 2023)
        saved = observations.save_observation(
            session,
            ADMIN,
            region_code=DISTRICT,
            indicator_code=codes[0],
            year=2023,
            text=str(70 + i),
            expected_version=current.version,
        )
        return saved.value

    outcomes = _race(engine, act)
    assert outcomes[0] == "submitted"
    for outcome in outcomes[1:]:
        assert isinstance(outcome, float | Conflict), outcome
    accepted = [o for o in outcomes[1:] if isinstance(o, float)]
    with factory() as session:
        stored = observations.get_observation(session, DISTRICT, codes[0], 2023)
        assert stored.version == 1 + len(accepted)
        assert (stored.value in accepted) if accepted else stored.value == 61
        report = session.get(PeriodReport, report_id)
        assert report is not None and report.state == "submitted"
        submit = session.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "submit").order_by(AuditEntry.id)
        ).all()[-1]
        updates = session.scalars(
            select(AuditEntry.id).where(
                AuditEntry.entity == "observation", AuditEntry.action == "update"
            )
        ).all()
        assert len(updates) == len(accepted) and all(u < submit for u in updates)
