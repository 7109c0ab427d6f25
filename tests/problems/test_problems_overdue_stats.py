"""Overdue escalation (the registered job, notifications once per deadline) and the
statistics 完成率 / 按期完成率 by unit, source and region."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from problem_builders import ADMIN, inspection_finding

from ecociv import notify
from ecociv.jobs import registered
from ecociv.problems import flow, records, stats
from ecociv.problems.escalation import escalate_overdue


def _step(session, user, problem, name, **extra):
    return flow.act(session, user, problem.id, name, expected_version=problem.version, **extra)


def test_an_overdue_problem_is_escalated_once_per_deadline(org, settings) -> None:
    session, people = org
    office, housing = people["督察办"], people["住建局"]
    late = records.create_problem(
        session, office, region_code="990101", record=inspection_finding()
    )
    records.create_problem(
        session,
        office,
        region_code="990101",
        record=inspection_finding(deadline=date(2025, 12, 31)),
    )
    _step(session, office, late, "assign")
    job = registered()["problems_overdue"]
    summary = job.run(session, settings, datetime(2025, 7, 3, 1, tzinfo=UTC))
    assert summary == ("逾期督办 1 个问题", "1 overdue problem(s) escalated")
    assert late.events[-1].action == "escalate" and late.events[-1].details["days_overdue"] == "3"
    for name in ("住建局", "水利局", "督察办", "市局"):
        assert [n.kind for n in notify.inbox(session, name) if n.kind == "problem.overdue"] == [
            "problem.overdue"
        ], name
    assert "3 天" in notify.inbox(session, "市局")[0].subject
    assert escalate_overdue(session, datetime(2025, 7, 4, tzinfo=UTC)) == []
    _step(session, housing, late, "start")
    _step(
        session, housing, late, "request_extension", comment="汛期", new_deadline=date(2025, 8, 31)
    )
    _step(session, office, late, "approve_extension")
    assert escalate_overdue(session, datetime(2025, 8, 31, 23, tzinfo=UTC)) == []
    assert escalate_overdue(session, datetime(2025, 9, 1, 1, tzinfo=UTC)) == [late]
    assert len([n for n in notify.inbox(session, "市局") if n.kind == "problem.overdue"]) == 2


def _close(session, settings, problem, at: datetime) -> None:
    from ecociv.store.services import evidence

    for name in ("assign", "start"):
        _step(session, ADMIN, problem, name)
    evidence.store_attachment(
        session,
        settings,
        ADMIN,
        owner_kind="problem",
        owner_key=str(problem.id),
        region_code="990101",
        filename="p.pdf",
        data=b"%PDF-1.7\n%%EOF\n",
    )
    _step(session, ADMIN, problem, "request_closure", comment="done")
    _step(session, ADMIN, problem, "close", now=at)


def test_rates_by_unit_source_and_region(org, settings) -> None:
    session, _ = org
    on_time = records.create_problem(
        session, ADMIN, region_code="990101", record=inspection_finding()
    )
    late = records.create_problem(
        session,
        ADMIN,
        region_code="990101",
        record=inspection_finding(lead_unit="xx-slj", responsible_units=()),
    )
    records.create_problem(
        session,
        ADMIN,
        region_code="990101",
        record=inspection_finding(
            source="petition", deadline=date(2025, 3, 31), responsible_units=()
        ),
    )
    records.create_problem(
        session,
        ADMIN,
        region_code="990101",
        record=inspection_finding(
            source="petition", deadline=date(2026, 3, 31), responsible_units=()
        ),
    )
    _close(session, settings, on_time, datetime(2025, 6, 30, 15, tzinfo=UTC))
    _close(session, settings, late, datetime(2025, 7, 2, tzinfo=UTC))
    as_of = date(2025, 7, 10)
    by_source = {r.key: r for r in stats.rates(session, "source", as_of)}
    inspection = by_source["central_inspection"]
    assert (inspection.label, inspection.total, inspection.closed, inspection.closed_on_time) == (
        "中央生态环境保护督察",
        2,
        2,
        1,
    )
    assert (inspection.completion_rate, inspection.on_time_rate) == (1.0, 0.5)
    petition = by_source["petition"]
    assert (petition.total, petition.closed, petition.due, petition.overdue_open) == (2, 0, 1, 1)
    assert (petition.completion_rate, petition.on_time_rate) == (0.0, 0.0)
    by_unit = {r.key: r for r in stats.rates(session, "unit", as_of)}
    assert (by_unit["xx-zjj"].label, by_unit["xx-zjj"].total, by_unit["xx-zjj"].closed) == (
        "西溪区住建局",
        3,
        1,
    )
    assert (by_unit["xx-slj"].total, by_unit["xx-slj"].closed_on_time) == (2, 1)
    [region] = stats.rates(session, "region", as_of, region_code="9901")
    assert (region.label, region.total, region.completion_rate, region.on_time_rate) == (
        "西溪区",
        4,
        0.5,
        pytest.approx(1 / 3, abs=1e-4),
    )
