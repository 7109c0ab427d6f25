"""Investment completion by category, lead unit, region and year; the lagging list."""

from __future__ import annotations

from datetime import date

import pytest
from project_builders import ADMIN
from sqlalchemy.orm import Session

from ecociv.projects import dispatch, records, summary
from ecociv.projects.dispatch import ReportInput
from ecociv.store.errors import ValidationError


def _by_name(session: Session, plan_id: int):
    return {r.project.name: r for r in records.list_records(session, plan_id=plan_id)}


@pytest.fixture
def reported(library):
    session, plan_id = library
    found = _by_name(session, plan_id)
    river, sewer = found["西溪河综合整治工程"], found["城区污水管网改造"]
    for record in (river, sewer):
        record.state = "construction"
    river.report_frequency = "quarterly"
    for period, amount, progress in [("2021-Q4", 2000.0, 10), ("2022-Q2", 1500.0, 25)]:
        dispatch.save_report(
            session,
            ADMIN,
            river.id,
            ReportInput(period=period, invested_period_wan_yuan=amount, progress_percent=progress),
        )
    dispatch.save_report(
        session,
        ADMIN,
        sewer.id,
        ReportInput(period="2022-Q2", invested_period_wan_yuan=1000, progress_percent=12.5),
    )
    records.add_milestone(session, ADMIN, sewer.id, name="管网招标", planned=date(2022, 5, 1))
    return session, plan_id


def test_completion_by_category(reported) -> None:
    session, plan_id = reported
    groups = summary.completion(session, "category", plan_id=plan_id)
    assert [(g.key, g.planned_wan_yuan, g.completed_wan_yuan, g.projects) for g in groups] == [
        ("污染防治", 20000.0, 4500.0, 2),
        ("生态保护", 0.0, 0.0, 1),
    ]
    assert groups[0].rate == 0.225 and groups[1].rate is None


def test_completion_by_lead_unit_counts_each_unit_in_full(reported) -> None:
    session, plan_id = reported
    groups = {g.key: g for g in summary.completion(session, "lead_unit", plan_id=plan_id)}
    assert groups["区水利局"].completed_wan_yuan == 3500
    assert groups["区住建局"].planned_wan_yuan == groups["区生态环境分局"].planned_wan_yuan == 8000


def test_completion_by_region_and_year(reported) -> None:
    session, plan_id = reported
    [region] = summary.completion(session, "region", region_code="9901")
    assert (region.key, region.planned_wan_yuan, region.completed_wan_yuan) == (
        "西溪区",
        20000,
        4500,
    )
    years = {g.key: g for g in summary.completion(session, "year", plan_id=plan_id)}
    assert years["2021"].planned_wan_yuan == 4000 and years["2021"].completed_wan_yuan == 2000
    assert years["2022"].planned_wan_yuan == 6000 and years["2022"].completed_wan_yuan == 2500
    assert years["2025"].planned_wan_yuan == 2000 and years["2025"].completed_wan_yuan == 0
    with pytest.raises(ValidationError):
        summary.completion(session, "colour", plan_id=plan_id)  # type: ignore[arg-type]


def test_the_lagging_list(reported) -> None:
    session, plan_id = reported
    found = {
        item.record.project.name: item
        for item in summary.lagging_list(session, date(2022, 6, 30), plan_id=plan_id)
    }
    assert set(found) == {"西溪河综合整治工程", "城区污水管网改造"}
    river = found["西溪河综合整治工程"]
    assert river.report is not None and river.report.period == "2022-Q2"
    assert [lag.kind for lag in river.lags] == ["progress", "investment"]
    assert [lag.kind for lag in found["城区污水管网改造"].lags] == ["milestone"]
    assert summary.lagging_list(session, date(2021, 1, 31), plan_id=plan_id) == []
