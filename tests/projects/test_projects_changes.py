"""Change requests: the plan version's project list changes only on approval; refusals,
stale requests and bad values are refused with reasons; every step audited."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from project_builders import ADMIN
from sqlalchemy.orm import Session

from ecociv.projects import changes, records
from ecociv.projects.vocab import change_fields
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.services import audit, projects, users


def _record(session: Session, plan_id: int, name: str = "城区污水管网改造"):
    return next(r for r in records.list_records(session, plan_id=plan_id) if r.project.name == name)


def _editor(session: Session, region: str, name: str):
    return users.create_user(
        session, ADMIN, name=name, role="editor", region_code=region, password="pw-123456789"
    )


def test_investment_changes_only_when_approved(library) -> None:
    session, plan_id = library
    district, city = _editor(session, "990101", "xixi"), _editor(session, "9901", "qinglan")
    record = _record(session, plan_id)
    change = changes.request_change(
        session, district, record.id, field="investment", new_value=9500, reason="管网长度增加"
    )
    assert change.status == "pending" and record.project.investment_wan_yuan == 8000
    assert projects.investment_summary(session, plan_id, "category")[0].total_wan_yuan == 20000
    with pytest.raises(Forbidden, match="approver"):
        changes.decide(session, district, change.id, approve=True)
    changes.decide(session, city, change.id, approve=True, comment="同意")
    assert record.project.investment_wan_yuan == 9500
    assert [p.investment_wan_yuan for p in projects.list_projects(session, plan_id)][1] == 9500
    assert projects.investment_summary(session, plan_id, "category")[0].total_wan_yuan == 21500
    with pytest.raises(Conflict, match="already approved"):
        changes.decide(session, city, change.id, approve=False, comment="再议")
    project_audit = audit.list_entries(session, entity="project")
    assert project_audit[0].before["investment_wan_yuan"] == 8000
    assert project_audit[0].after["investment_wan_yuan"] == 9500
    assert [e.action for e in audit.list_entries(session, entity="project_change")] == [
        "approved",
        "request",
    ]


def test_a_refused_request_changes_nothing_and_needs_a_reason(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    change = changes.request_change(
        session, ADMIN, record.id, field="lead_units", new_value=["区水务集团"], reason="职能调整"
    )
    with pytest.raises(ValidationError, match="reason"):
        changes.decide(session, ADMIN, change.id, approve=False)
    changes.decide(session, ADMIN, change.id, approve=False, comment="职能未调整")
    assert (change.status, change.decision_comment) == ("refused", "职能未调整")
    assert record.project.lead_units == ["区住建局", "区生态环境分局"]


def test_a_stale_request_cannot_be_approved(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    one = changes.request_change(
        session, ADMIN, record.id, field="period_end", new_value=2026, reason="延期"
    )
    two = changes.request_change(
        session, ADMIN, record.id, field="period_end", new_value=2027, reason="再延期"
    )
    changes.decide(session, ADMIN, one.id, approve=True)
    with pytest.raises(Conflict, match="file a new request"):
        changes.decide(session, ADMIN, two.id, approve=True)
    assert record.project.period_end == 2026


def test_location_of_the_record_changes_on_approval(library) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    change = changes.request_change(
        session, ADMIN, record.id, field="location", new_value="  老城片区 ", reason="选址调整"
    )
    assert record.location is None
    changes.decide(session, ADMIN, change.id, approve=True)
    assert record.location == "老城片区"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget", 1, "cannot be changed"),
        ("investment", "很多", "investment"),
        ("investment", True, "investment"),
        ("investment", float("inf"), "investment"),
        ("period_start", 2030, "after the last year"),
        ("period_end", 1900, "a year"),
        ("lead_units", ["区水利局", ""], "unit names"),
        ("lead_units", "区水利局", "unit names"),
        ("scale", "   ", "non-empty text"),
        ("investment", 8000, "already has that value"),
    ],
)
def test_bad_requests_are_refused(library, field, value, message) -> None:
    session, plan_id = library
    record = _record(session, plan_id)
    with pytest.raises(ValidationError, match=message):
        changes.request_change(session, ADMIN, record.id, field=field, new_value=value, reason="r")


@given(amount=st.floats(0, 1e9, allow_nan=False), year=st.integers(1949, 2100))
def test_normalised_values_are_what_the_columns_hold(amount: float, year: int) -> None:
    fields = change_fields()
    assert changes.normalise(fields["investment"], amount, "w") == amount
    assert changes.normalise(fields["period_end"], year, "w") == year
