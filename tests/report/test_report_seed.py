"""Reports of a real plan (seed 002, a district's 14th five-year plan) imported into a
temporary SQLite store, with a few values entered: the tables equal the assessment rows."""

from __future__ import annotations

import pytest
from expected import completion_rows, docx_tables, plan_target_rows

from ecociv.report.api import make_report
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services import observations, plans, regions
from ecociv.store.services.assessment import assess_plan

pytestmark = pytest.mark.seeds
REGION = "330205"
VALUES = {0: ("2022", "20"), 1: ("2023", "96.5"), 2: ("2023", "暂无数据"), 4: ("2023", "0.5")}
"""Row position → (year, text) entered; position 3 is left without a value."""


@pytest.fixture(scope="module")
def seed_store(seed_path, tmp_path_factory):
    from ecociv.ingest.api import load_plan

    url = f"sqlite:///{tmp_path_factory.mktemp('report-seed') / 'seed.db'}"
    upgrade(url)
    engine = create_engine_for(url)
    with unit_of_work(session_factory(engine)) as db:
        regions.create_region(
            db, "test", code=REGION, name="江北区", level="county", admin_class="县",
            terrain="平原地区",
        )  # fmt: skip
        version = plans.import_plan(db, "test", load_plan(seed_path("002")), region_code=REGION)
        indicators = [i for i in version.indicators if i.applicable]
        for position, (year, value) in VALUES.items():
            observations.save_observation(
                db, "test", region_code=REGION, indicator_code=indicators[position].code,
                year=int(year), text=value, source="测试录入",
            )  # fmt: skip
        plan_id = version.plan_id
    yield engine, plan_id
    engine.dispose()


@pytest.mark.parametrize("year", [2022, 2023])
def test_seed_plan_tables_equal_the_assessment(seed_store, tmp_path, year):
    engine, plan_id = seed_store
    with session_factory(engine)() as db:
        rows = assess_plan(db, plan_id, as_of=year).indicators
        annual = tmp_path / "annual.docx"
        completion = tmp_path / "completion.docx"
        make_report(
            db, "annual", plan_id=plan_id, region_code=None, year=year, fmt="docx", out=annual
        )
        make_report(
            db, "completion", plan_id=plan_id, region_code=None, year=year, fmt="docx",
            out=completion,
        )  # fmt: skip
    assert len(rows) >= 10
    assert docx_tables(annual)[1][1:] == plan_target_rows(rows)
    assert docx_tables(completion)[0][1:] == completion_rows(rows)


def test_seed_plan_workbook_and_self_assessment(seed_store, tmp_path):
    from openpyxl import load_workbook

    engine, plan_id = seed_store
    with session_factory(engine)() as db:
        report = make_report(
            db, "self-assessment", plan_id=plan_id, region_code=None, year=2023, fmt="xlsx",
            out=tmp_path / "self.xlsx",
        )  # fmt: skip
    sheet = load_workbook(tmp_path / "self.xlsx")["示范区建设指标自评估表"]
    assert sheet.freeze_panes == "A3"
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    assert names == [row["name"] for row in report.tables["self_assessment"].rows]
    entered = [row for row in report.tables["self_assessment"].rows if row["evidence"]]
    assert entered and all(row["evidence"] == "测试录入" for row in entered)
