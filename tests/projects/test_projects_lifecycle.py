"""A project through its lifecycle (project_lifecycle): dated steps, roles, evidence for the
acceptance, suspension and termination, stale versions (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from project_builders import ADMIN

from ecociv.projects import lifecycle, records
from ecociv.settings import load_settings
from ecociv.store.errors import Conflict
from ecociv.store.services import audit, evidence, users
from ecociv.workflow import MissingInput, NotAvailable, NotPermitted


def _record(session, plan_id, name="西溪河综合整治工程"):
    return next(r for r in records.list_records(session, plan_id=plan_id) if r.project.name == name)


def _step(session, actor, record, name, day, **extra):
    return lifecycle.advance(
        session, actor, record.id, name, expected_version=record.version, on=day, **extra
    )


def test_from_reserve_to_accepted_with_dates(library, tmp_path) -> None:
    session, plan_id = library
    district = users.create_user(
        session, ADMIN, name="xixi", role="editor", region_code="990101", password=None
    )
    city = users.create_user(
        session, ADMIN, name="qinglan", role="editor", region_code="9901", password=None
    )
    record = _record(session, plan_id)
    assert [t.name for t in lifecycle.available(district, record)] == ["start_feasibility"]
    steps = [
        ("start_feasibility", date(2021, 2, 1)),
        ("approve_feasibility", date(2021, 5, 10)),
        ("approve_design", date(2021, 8, 1)),
        ("start_construction", date(2021, 10, 8)),
        ("complete", date(2023, 11, 30)),
    ]
    for name, day in steps:
        _step(session, district, record, name, day)
    assert record.state == "completed"
    with pytest.raises(NotPermitted):
        _step(session, district, record, "accept", date(2023, 12, 20))
    with pytest.raises(MissingInput, match="evidence"):
        _step(session, city, record, "accept", date(2023, 12, 20))
    evidence.store_attachment(
        session,
        load_settings(data_dir=tmp_path),
        district,
        owner_kind="project",
        owner_key=str(record.id),
        region_code="990101",
        filename="竣工验收报告.pdf",
        data=b"%PDF-1.7\n%%EOF\n",
    )
    _step(session, city, record, "accept", date(2023, 12, 20))
    assert record.state == "accepted"
    assert record.state_dates == {
        "reserve": record.state_dates["reserve"],
        "feasibility": "2021-02-01",
        "design": "2021-05-10",
        "tendering": "2021-08-01",
        "construction": "2021-10-08",
        "completed": "2023-11-30",
        "accepted": "2023-12-20",
    }
    actions = [
        e.action
        for e in audit.list_entries(session, entity="project_record", key=f"project/{record.id}")
    ]
    assert actions[:2] == ["accept", "complete"]
    with pytest.raises(NotAvailable):
        _step(session, city, record, "terminate", date(2024, 1, 1), comment="x")


def test_suspend_resume_terminate_and_withdraw(library) -> None:
    session, plan_id = library
    river, sewer = _record(session, plan_id), _record(session, plan_id, "城区污水管网改造")
    for name in (
        "start_feasibility",
        "approve_feasibility",
        "approve_design",
        "start_construction",
    ):
        _step(session, ADMIN, river, name, date(2022, 1, 1))
    with pytest.raises(MissingInput, match="comment"):
        _step(session, ADMIN, river, "suspend", date(2022, 3, 1))
    _step(session, ADMIN, river, "suspend", date(2022, 3, 1), comment="资金未到位")
    _step(session, ADMIN, river, "resume", date(2022, 6, 1))
    _step(session, ADMIN, river, "terminate", date(2022, 9, 1), comment="规划调整")
    assert river.state == "terminated" and river.state_dates["suspended"] == "2022-03-01"
    _step(session, ADMIN, sewer, "withdraw", date(2022, 2, 1), comment="建成一批、淘汰一批")
    assert sewer.state == "withdrawn"
    with pytest.raises(NotAvailable):
        _step(session, ADMIN, sewer, "start_feasibility", date(2022, 3, 1))


def test_a_stale_step_is_refused(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    seen = record.version
    _step(session, ADMIN, record, "start_feasibility", date(2022, 1, 1))
    with pytest.raises(Conflict, match="version"):
        lifecycle.advance(session, ADMIN, record.id, "approve_feasibility", expected_version=seen)
