"""Reports on both databases (SQLite and PostgreSQL): a small plan built here, values entered
through the store, the completion table and the workbook checked against them."""

from __future__ import annotations

import pytest
from expected import docx_tables

from ecociv import model
from ecociv.report.api import make_report
from ecociv.store.services import observations, plans, regions

ACTOR = "pytest"
INDICATORS = [
    ("细颗粒物（PM2.5）年均浓度", "μg/m³", "35", "≤30"),
    ("城镇污水处理率", "%", "92", "≥95"),
    ("河长制", "-", "全面实施", "全面实施"),
]


def _plan() -> model.Plan:
    columns = [
        model.Column(index=0, key="name", role="name", header="指标"),
        model.Column(index=1, key="baseline", role="baseline", header="2020年", year=2020),
        model.Column(index=2, key="target_2025", role="target", header="2025年", year=2025),
    ]
    rows = [
        model.IndicatorRow(
            seq=str(n), domain="生态环境", name=name, unit=unit, attribute="约束性",
            cells={"name": model.Cell(text=name), "baseline": model.Cell(text=base),
                   "target_2025": model.Cell(text=target)},
        )
        for n, (name, unit, base, target) in enumerate(INDICATORS, start=1)
    ]  # fmt: skip
    return model.Plan(
        source=model.PlanSource(path="synthetic.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="测试区生态文明建设规划", period_start=2021, period_end=2025, base_year=2020
        ),
        tables=[model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows)],
    )


@pytest.mark.parametrize(
    ("pm25", "sewage", "river", "done"),
    [("29", "95.5", "全面实施", ["完成", "完成", "完成"]),
     ("31.5", "94", "暂无数据", ["未完成", "未完成", "无数据"])],
)  # fmt: skip
def test_completion_on_both_databases(session, tmp_path, pm25, sewage, river, done):
    regions.create_region(session, ACTOR, code="990199", name="测试区", level="county")
    version = plans.import_plan(session, ACTOR, _plan(), region_code="990199")
    for indicator, text in zip(version.indicators, (pm25, sewage, river), strict=True):
        observations.save_observation(
            session, ACTOR, region_code="990199", indicator_code=indicator.code, year=2023,
            text=text,
        )  # fmt: skip
    session.flush()
    out = tmp_path / "completion.docx"
    make_report(
        session, "completion", plan_id=version.plan_id, region_code=None, year=2023,
        fmt="docx", out=out,
    )  # fmt: skip
    (table,) = docx_tables(out)
    assert [row[5] for row in table[1:]] == [pm25, sewage, river]
    assert [row[6] for row in table[1:]] == done
    assert [row[4] for row in table[1:]] == [target for *_, target in INDICATORS]
