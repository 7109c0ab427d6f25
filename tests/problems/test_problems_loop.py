"""A problem from a 督察 through 交办 → 整改 → 申请销号 → 退回 → 销号 with evidence; roles,
extensions, stale versions and bad records (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from problem_builders import ADMIN, inspection_finding

from ecociv import notify
from ecociv.problems import flow, records
from ecociv.store.errors import Conflict, ValidationError
from ecociv.store.services import audit, evidence
from ecociv.workflow import MissingInput, NotAvailable, NotPermitted

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attach(session, settings, user, problem, name: str):
    return evidence.store_attachment(
        session,
        settings,
        user,
        owner_kind="problem",
        owner_key=str(problem.id),
        region_code="990101",
        filename=name,
        data=PDF + name.encode(),
    )


def _step(session, user, problem, name, **extra):
    return flow.act(session, user, problem.id, name, expected_version=problem.version, **extra)


def test_the_closed_loop_with_a_return(org, settings) -> None:
    session, people = org
    office, housing = people["督察办"], people["住建局"]
    problem = records.create_problem(
        session, office, region_code="990101", record=inspection_finding()
    )
    assert problem.state == "found" and problem.original_deadline == date(2025, 6, 30)
    _step(session, office, problem, "assign", comment="请于期限内完成整改")
    assert {n.recipient for n in notify.inbox(session, "住建局")} == {"住建局"}
    assert [n.kind for n in notify.inbox(session, "水利局")] == ["problem.assign"]
    _step(session, housing, problem, "start")
    with pytest.raises(MissingInput, match="evidence"):
        _step(session, housing, problem, "request_closure", comment="已完成")
    _attach(session, settings, housing, problem, "截污管竣工照片.pdf")
    _step(session, housing, problem, "request_closure", comment="已完成截污纳管")
    assert [n.kind for n in notify.inbox(session, "督察办")] == ["problem.request_closure"]
    with pytest.raises(MissingInput, match="comment"):
        _step(session, office, problem, "return")
    _step(session, office, problem, "return", comment="仍有 2 处排口未封堵")
    assert problem.state == "rectifying"
    with pytest.raises(MissingInput, match="evidence"):
        _step(session, housing, problem, "request_closure", comment="再次申请")
    _attach(session, settings, housing, problem, "排口封堵照片.pdf")
    _step(session, housing, problem, "request_closure", comment="排口已全部封堵")
    _step(session, office, problem, "close", comment="现场核查属实")
    assert problem.state == "closed" and problem.closed_at is not None
    assert [e.action for e in problem.events] == [
        "create",
        "assign",
        "start",
        "request_closure",
        "return",
        "request_closure",
        "close",
    ]
    assert problem.events[4].comment == "仍有 2 处排口未封堵"
    entries = audit.list_entries(session, entity="problem", key=f"problem/{problem.id}")
    assert [e.action for e in entries][:2] == ["close", "request_closure"]
    with pytest.raises(NotAvailable):
        _step(session, office, problem, "return", comment="再退回")


def test_each_side_takes_only_its_steps(org) -> None:
    session, people = org
    office, housing, water = people["督察办"], people["住建局"], people["水利局"]
    problem = records.create_problem(
        session, office, region_code="990101", record=inspection_finding()
    )
    with pytest.raises(NotPermitted):
        _step(session, housing, problem, "assign")
    _step(session, office, problem, "assign")
    with pytest.raises(NotPermitted):
        _step(session, office, problem, "start")
    assert [m.name for m in flow.available(session, water, problem)] == ["start"]
    assert flow.available(session, people["市局"], problem) == []
    _step(session, water, problem, "start")


def test_an_extension_moves_the_deadline_only_when_approved(org) -> None:
    session, people = org
    office, housing = people["督察办"], people["住建局"]
    problem = records.create_problem(
        session, office, region_code="990101", record=inspection_finding()
    )
    for name, user in [("assign", office), ("start", housing)]:
        _step(session, user, problem, name)
    with pytest.raises(ValidationError, match="new deadline"):
        _step(
            session,
            housing,
            problem,
            "request_extension",
            comment="汛期",
            new_deadline=date(2025, 6, 1),
        )
    _step(
        session,
        housing,
        problem,
        "request_extension",
        comment="汛期施工受限",
        new_deadline=date(2025, 9, 30),
    )
    assert (problem.deadline, problem.requested_deadline) == (date(2025, 6, 30), date(2025, 9, 30))
    _step(session, office, problem, "refuse_extension", comment="不符合延期条件")
    assert (problem.deadline, problem.requested_deadline) == (date(2025, 6, 30), None)
    _step(
        session,
        housing,
        problem,
        "request_extension",
        comment="再次申请",
        new_deadline=date(2025, 8, 31),
    )
    _step(session, office, problem, "approve_extension")
    assert (problem.deadline, problem.original_deadline) == (date(2025, 8, 31), date(2025, 6, 30))
    assert problem.events[-1].details == {"from": "2025-06-30", "to": "2025-08-31"}


def test_a_stale_step_and_a_late_edit_are_refused(org) -> None:
    session, people = org
    office, housing = people["督察办"], people["住建局"]
    problem = records.create_problem(
        session, office, region_code="990101", record=inspection_finding()
    )
    seen = problem.version
    records.update_problem(
        session,
        office,
        problem.id,
        record=inspection_finding(title="西溪河沿岸污水直排"),
        expected_version=seen,
    )
    with pytest.raises(Conflict, match="version"):
        flow.act(session, office, problem.id, "assign", expected_version=seen)
    _step(session, office, problem, "assign")
    _step(session, housing, problem, "start")
    with pytest.raises(Conflict, match="extension"):
        records.update_problem(
            session,
            office,
            problem.id,
            record=inspection_finding(),
            expected_version=problem.version,
        )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"source": "rumour"}, ["source"]),
        ({"category": "light", "severity": "mild"}, ["category", "severity"]),
        ({"lead_unit": "nobody"}, ["units"]),
        ({"latitude": 95.0}, ["latitude"]),
        ({"longitude": None}, ["latitude"]),
        ({"title": "  "}, ["title"]),
        ({"responsible_units": ("xx-slj", "xx-slj")}, ["responsible_units"]),
    ],
)
def test_a_bad_record_names_its_fields(org, changes, fields) -> None:
    session, _ = org
    with pytest.raises(ValidationError) as caught:
        records.create_problem(
            session, ADMIN, region_code="990101", record=inspection_finding(**changes)
        )
    assert [p["field"] for p in caught.value.problems] == fields


def test_problems_are_listed_by_region_state_source_and_unit(org) -> None:
    session, _ = org
    one = records.create_problem(session, ADMIN, region_code="990101", record=inspection_finding())
    records.create_problem(
        session,
        ADMIN,
        region_code="990101",
        record=inspection_finding(source="petition", lead_unit="xx-slj", responsible_units=()),
    )
    assert len(records.list_problems(session, region_code="9901")) == 2
    assert [p.id for p in records.list_problems(session, source="central_inspection")] == [one.id]
    assert len(records.list_problems(session, unit="xx-slj")) == 2
    assert [p.id for p in records.list_problems(session, unit="xx-zjj")] == [one.id]
    assert records.list_problems(session, state="closed") == []


def test_closure_time_is_the_step_time(org, settings) -> None:
    session, _ = org
    problem = records.create_problem(
        session, ADMIN, region_code="990101", record=inspection_finding()
    )
    for name in ("assign", "start"):
        _step(session, ADMIN, problem, name)
    _attach(session, settings, ADMIN, problem, "a.pdf")
    _step(session, ADMIN, problem, "request_closure", comment="done")
    at = datetime(2025, 6, 20, 8, tzinfo=UTC)
    _step(session, ADMIN, problem, "close", now=at)
    assert problem.closed_at == at
