"""The seed plans' project tables enter the project library with their categories, periods,
investment and units, and the tables' stated totals still check (skipped without the seeds)."""

from __future__ import annotations

import pytest
from project_builders import ADMIN, build_tree
from sqlalchemy.orm import Session

from ecociv.check.data import vocab
from ecociv.ingest.api import load_plan
from ecociv.projects import records
from ecociv.store.services import plans

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def seed_plans(seed_path):
    return {key: load_plan(seed_path(key)) for key in ("000", "002")}


@pytest.mark.parametrize(("key", "count"), [("000", 48), ("002", 50)])
def test_seed_projects_enter_the_library(session: Session, seed_plans, key: str, count: int):
    build_tree(session)
    plan = seed_plans[key]
    [table] = [t for t in plan.tables if t.kind == "project"]
    plan_id = plans.import_plan(session, ADMIN, plan, region_code="990101").plan_id
    enrolled = records.enrol_plan(session, ADMIN, plan_id)
    assert len(enrolled) == len(table.rows) == count
    for record, row in zip(enrolled, table.rows, strict=True):
        project = record.project
        assert (project.name, project.category) == (row.name, row.category)
        assert (project.period_start, project.period_end) == (row.period_start, row.period_end)
        assert project.investment_wan_yuan == row.investment_wan_yuan
        assert (project.lead_units, project.implementing_units) == (
            row.lead_units,
            row.implementing_units,
        )
        assert record.state == "reserve" and record.region.code == "990101"
    library_total = sum(r.project.investment_wan_yuan or 0 for r in enrolled)
    assert library_total == pytest.approx(table.computed_total_wan_yuan, abs=0.01)
    if table.stated_total_wan_yuan is not None:
        tolerance = vocab()["money"]["total_tolerance_wan_yuan"]
        assert abs(library_total - table.stated_total_wan_yuan) <= tolerance


def test_002_states_its_total(seed_plans) -> None:
    [table] = [t for t in seed_plans["002"].tables if t.kind == "project"]
    assert table.stated_total_wan_yuan == pytest.approx(1012771.29)
