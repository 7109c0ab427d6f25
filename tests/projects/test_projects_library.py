"""The project library: enrolment, details, funding, milestones, indicator links (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from project_builders import ADMIN
from sqlalchemy.orm import Session

from ecociv.projects import records
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.services import audit, users


def _record(session: Session, plan_id: int, name: str):
    return next(r for r in records.list_records(session, plan_id=plan_id) if r.project.name == name)


def test_enrolment_puts_every_project_in_reserve_once(library) -> None:
    session, plan_id = library
    found = records.list_records(session, plan_id=plan_id)
    assert [r.project.name for r in found] == [
        "西溪河综合整治工程",
        "城区污水管网改造",
        "北山矿山生态修复",
    ]
    assert {r.state for r in found} == {"reserve"}
    assert all(r.region.code == "990101" for r in found)
    assert records.enrol_plan(session, ADMIN, plan_id) == []
    entries = audit.list_entries(session, entity="project_record")
    assert len(entries) == 3 and entries[0].after["name"] == "北山矿山生态修复"


def test_region_filter_takes_the_subtree(library) -> None:
    session, _ = library
    assert len(records.list_records(session, region_code="9901")) == 3
    assert records.list_records(session, region_code="990102") == []


def test_details_change_directly_only_in_reserve(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id, "西溪河综合整治工程")
    records.update_details(
        session,
        ADMIN,
        record.id,
        expected_version=1,
        location="西溪河干流",
        report_frequency="monthly",
    )
    assert (record.location, record.report_frequency, record.version) == (
        "西溪河干流",
        "monthly",
        2,
    )
    with pytest.raises(Conflict, match="version 2"):
        records.update_details(session, ADMIN, record.id, expected_version=1, scale="10 km")
    record.state = "construction"
    session.flush()
    with pytest.raises(Conflict, match="change request"):
        records.update_details(session, ADMIN, record.id, expected_version=3, scale="12 km")
    with pytest.raises(ValidationError, match="weekly"):
        records.update_details(
            session, ADMIN, record.id, expected_version=3, report_frequency="weekly"
        )


def test_funding_from_several_channels(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id, "城区污水管网改造")
    records.set_funding(session, ADMIN, record.id, source="central_budget", amount_wan_yuan=3000)
    records.set_funding(session, ADMIN, record.id, source="bond", amount_wan_yuan=5000)
    records.set_funding(session, ADMIN, record.id, source="bond", amount_wan_yuan=4500)
    assert {(f.source, f.amount_wan_yuan) for f in record.funding} == {
        ("central_budget", 3000),
        ("bond", 4500),
    }
    with pytest.raises(ValidationError, match="lottery"):
        records.set_funding(session, ADMIN, record.id, source="lottery", amount_wan_yuan=1)
    with pytest.raises(ValidationError, match="invalid"):
        records.set_funding(session, ADMIN, record.id, source="bond", amount_wan_yuan=float("nan"))


def test_milestones_and_indicator_links(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id, "北山矿山生态修复")
    records.add_milestone(session, ADMIN, record.id, name="完成可研批复", planned=date(2023, 6, 30))
    with pytest.raises(Conflict):
        records.add_milestone(
            session, ADMIN, record.id, name="完成可研批复", planned=date(2023, 7, 1)
        )
    code = record.plan.versions[-1].indicators[0].code
    records.link_indicator(session, ADMIN, record.id, code)
    assert [link.indicator_code for link in record.indicator_links] == [code]
    with pytest.raises(ValidationError, match="no indicator"):
        records.link_indicator(session, ADMIN, record.id, "air.nothing")


def test_an_editor_of_another_region_may_not_write(library) -> None:
    session, plan_id = library
    outsider = users.create_user(
        session,
        ADMIN,
        name="dongling",
        role="editor",
        region_code="990102",
        password="pw-123456789",
    )
    record = _record(session, plan_id, "西溪河综合整治工程")
    with pytest.raises(Forbidden):
        records.set_funding(session, outsider, record.id, source="bond", amount_wan_yuan=1)
