"""调度 reports: entry, update from the version read, investment to date, milestones, bad
input with the field named, and 20 concurrent clients losing nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from project_builders import ADMIN
from sqlalchemy.orm import Session

from ecociv.projects import dispatch, records
from ecociv.projects.dispatch import MilestoneReached, ReportInput
from ecociv.store.errors import Conflict, ValidationError
from ecociv.store.services import audit


def _record(session: Session, plan_id: int, name: str = "西溪河综合整治工程"):
    return next(r for r in records.list_records(session, plan_id=plan_id) if r.project.name == name)


def test_a_report_is_entered_once_then_updated_from_its_version(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    first = dispatch.save_report(
        session,
        ADMIN,
        record.id,
        ReportInput(period="2022-Q1", progress_percent=20, invested_period_wan_yuan=1500),
    )
    assert (first.version, first.invested_to_date_wan_yuan) == (1, 1500)
    with pytest.raises(Conflict, match="already has a report"):
        dispatch.save_report(session, "bob", record.id, ReportInput(period="2022-Q1"))
    updated = dispatch.save_report(
        session,
        "bob",
        record.id,
        ReportInput(period="2022-Q1", progress_percent=22, invested_period_wan_yuan=1600),
        expected_version=1,
    )
    assert (updated.version, updated.progress_percent, updated.updated_by) == (2, 22, "bob")
    with pytest.raises(Conflict) as caught:
        dispatch.save_report(
            session, ADMIN, record.id, ReportInput(period="2022-Q1"), expected_version=1
        )
    assert caught.value.current is not None and caught.value.current["progress_percent"] == 22
    actions = [e.action for e in audit.list_entries(session, entity="dispatch_report")]
    assert actions == ["update", "create"]


def test_investment_to_date_adds_up_the_periods(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    for period, amount in [("2022-Q1", 1000.0), ("2022-Q2", 800.5), ("2022-Q3", 0.0)]:
        dispatch.save_report(
            session, ADMIN, record.id, ReportInput(period=period, invested_period_wan_yuan=amount)
        )
    reports = dispatch.list_reports(session, record.id)
    assert [r.invested_to_date_wan_yuan for r in reports] == [1000.0, 1800.5, 1800.5]


def test_milestones_reported_reach_the_project(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    records.add_milestone(session, ADMIN, record.id, name="主体工程开工", planned=date(2022, 3, 1))
    records.add_milestone(session, ADMIN, record.id, name="主体完工", planned=date(2023, 6, 30))
    report = dispatch.save_report(
        session,
        ADMIN,
        record.id,
        ReportInput(
            period="2022-Q1",
            milestones=(MilestoneReached("主体工程开工", date(2022, 3, 20)),),
            problems=("征地拆迁滞后", "  "),
        ),
    )
    assert report.milestones == [
        {"name": "主体工程开工", "planned": "2022-03-01", "actual": "2022-03-20"}
    ]
    assert report.problems == ["征地拆迁滞后"]
    assert {m.name: m.actual for m in record.milestones} == {
        "主体工程开工": date(2022, 3, 20),
        "主体完工": None,
    }


@pytest.mark.parametrize(
    ("report", "field"),
    [
        (ReportInput(period="2022-Q1", progress_percent=101), "progress_percent"),
        (ReportInput(period="2022-Q1", progress_percent=float("nan")), "progress_percent"),
        (ReportInput(period="2022-Q1", planned_year_wan_yuan=-1), "planned_year_wan_yuan"),
        (
            ReportInput(
                period="2022-Q1", invested_period_wan_yuan=50, invested_to_date_wan_yuan=40
            ),
            "invested_to_date_wan_yuan",
        ),
        (
            ReportInput(period="2022-Q1", milestones=(MilestoneReached("不存在", None),)),
            "milestones",
        ),
    ],
)
def test_bad_reports_name_the_field(library, report: ReportInput, field: str) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    with pytest.raises(ValidationError) as caught:
        dispatch.save_report(session, ADMIN, record.id, report)
    assert [p["field"] for p in caught.value.problems] == [field]
    assert caught.value.where == f"project/{record.id}/report/2022-Q1"


@pytest.mark.parametrize("period", ["2022-03", "2022-Q5", "2022Q1", "22-Q1", ""])
def test_a_period_of_another_form_is_refused(library, period: str) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    with pytest.raises(ValidationError, match="quarterly"):
        dispatch.save_report(session, ADMIN, record.id, ReportInput(period=period))


CLIENTS = 20


def test_twenty_clients_updating_one_report_lose_nothing(engine, library) -> None:
    """Each client adds its own problem to the same report, reloading when told it lost a
    race; every problem is there at the end and every save left one version."""
    session, plan_id = library
    record_id = _record(session, plan_id).id
    dispatch.save_report(session, ADMIN, record_id, ReportInput(period="2022-Q1"))
    session.commit()
    start = threading.Barrier(CLIENTS)
    conflicts: list[int] = []
    failures: list[BaseException] = []

    def client(number: int) -> None:
        try:
            start.wait()
            while True:
                with Session(engine) as own:
                    current = dispatch.get_report(own, record_id, "2022-Q1")
                    update = ReportInput(
                        period="2022-Q1",
                        progress_percent=current.progress_percent,
                        problems=(*current.problems, f"问题{number:02d}"),
                    )
                    try:
                        dispatch.save_report(
                            own,
                            f"client{number}",
                            record_id,
                            update,
                            expected_version=current.version,
                        )
                        own.commit()
                        return
                    except Conflict:
                        own.rollback()
                        conflicts.append(number)
        except BaseException as error:  # reported below, with the thread's number
            failures.append(error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    session.expire_all()
    final = dispatch.get_report(session, record_id, "2022-Q1")
    assert sorted(final.problems) == [f"问题{n:02d}" for n in range(CLIENTS)]
    assert final.version == CLIENTS + 1
    updates = audit.list_entries(session, entity="dispatch_report", limit=100)
    assert sum(e.action == "update" for e in updates) == CLIENTS
