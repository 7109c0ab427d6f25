"""Builders for the store tests: the trusted actor's name, a plan as ingest would make it, and
the review data a web import saves with a version (a column map, check findings)."""

from __future__ import annotations

from ecociv import model

ADMIN = "pytest-admin"
COLUMN_MAP = {
    "tables": [{"table": 0, "columns": {"2025年目标值": {"role": "target", "year": 2025}}}]
}
FINDING = {
    "id": "target.baseline:0123456789ab",
    "kind": "target.baseline",
    "severity": "warning",
    "message_zh": "目标值比基准值差",
    "message_en": "the target is worse than the baseline",
    "locations": [{"file": "规划.docx", "table": 0, "row": 1, "column": "target_2025"}],
    "values": {"baseline": "28", "target": "30"},
    "cause_zh": None,
    "cause_en": None,
    "suggestion_zh": "核对目标值",
    "suggestion_en": "check the target",
}
FINDINGS = {
    "schema_version": "1.0",
    "source": "规划.docx",
    "findings": [FINDING, {**FINDING, "id": "target.baseline:ba9876543210"}],
    "accepted": [],
    "counts": {"error": 0, "warning": 2, "note": 0},
}


def make_plan(
    *,
    name: str = "青岚市西溪区生态文明建设规划（2021—2030年）",
    indicators: list[tuple[str, str | None, str, str, str]] | None = None,
    projects: list[model.ProjectRow] | None = None,
) -> model.Plan:
    """A plan as ingest would produce it: rows of (domain, unit, name, baseline 2020, target 2025)."""
    rows = indicators or [
        ("生态环境", "μg/m³", "细颗粒物（PM2.5）年均浓度", "31", "≤28"),
        ("生态环境", "%", "空气质量优良天数比例", "88.5", "≥90"),
        ("生态空间", "%", "林草覆盖率", "61.2", "≥62"),
        ("生态经济", "吨标准煤/万元", "单位地区生产总值能耗", "0.41", "完成上级下达任务"),
    ]
    columns = [
        model.Column(index=0, key="name", role="name", header="指标"),
        model.Column(index=1, key="baseline", role="baseline", header="2020年", year=2020),
        model.Column(index=2, key="target_2025", role="target", header="2025年", year=2025),
    ]
    table = model.PlanTable(
        index=0,
        kind="indicator",
        columns=columns,
        rows=[
            model.IndicatorRow(
                seq=str(number),
                domain=domain,
                unit=unit,
                name=indicator,
                attribute="约束性",
                cells={
                    "name": model.Cell(text=indicator),
                    "baseline": model.Cell(text=baseline),
                    "target_2025": model.Cell(text=target),
                },
            )
            for number, (domain, unit, indicator, baseline, target) in enumerate(rows, start=1)
        ],
    )
    tables = [table]
    if projects:
        tables.append(model.PlanTable(index=1, kind="project", rows=list(projects)))
    return model.Plan(
        source=model.PlanSource(path="synthetic.txt", format="tika"),
        metadata=model.PlanMetadata(name=name, period_start=2021, period_end=2030, base_year=2020),
        tables=tables,
    )
