"""Builders for the project-library tests: a region tree, a plan with three projects."""

from __future__ import annotations

from ecociv import model
from ecociv.store.services import plans, regions

ADMIN = "pytest-admin"
PROJECTS = [
    ("污染防治", "西溪河综合整治工程", 2021, 2023, 12000.0, ["区水利局"]),
    ("污染防治", "城区污水管网改造", 2022, 2025, 8000.0, ["区住建局", "区生态环境分局"]),
    ("生态保护", "北山矿山生态修复", 2023, 2024, None, ["区自然资源局"]),
]


def make_plan(projects=PROJECTS) -> model.Plan:
    rows = [
        model.ProjectRow(
            seq=str(number),
            category=category,
            name=name,
            period_start=start,
            period_end=end,
            period_text=f"{start}—{end}",
            investment_wan_yuan=investment,
            lead_units=units,
        )
        for number, (category, name, start, end, investment, units) in enumerate(projects, 1)
    ]
    indicator = model.IndicatorRow(
        seq="1",
        domain="生态环境",
        unit="%",
        name="地表水达到或好于Ⅲ类水体比例",
        cells={"name": model.Cell(text="地表水达到或好于Ⅲ类水体比例")},
    )
    columns = [model.Column(index=0, key="name", role="name", header="指标")]
    return model.Plan(
        source=model.PlanSource(path="synthetic.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="青岚市西溪区生态环境保护规划", period_start=2021, period_end=2025, base_year=2020
        ),
        tables=[
            model.PlanTable(index=0, kind="indicator", columns=columns, rows=[indicator]),
            model.PlanTable(index=1, kind="project", rows=rows),
        ],
    )


def build_tree(session) -> None:
    """省 99 → 市 9901 → 区 990101, 990102."""
    regions.create_region(session, ADMIN, code="99", name="测试省", level="province")
    regions.create_region(
        session, ADMIN, code="9901", name="青岚市", level="city", parent_code="99"
    )
    regions.create_region(
        session, ADMIN, code="990101", name="西溪区", level="county", parent_code="9901"
    )
    regions.create_region(
        session, ADMIN, code="990102", name="东岭区", level="county", parent_code="9901"
    )


def import_plan(session, region_code: str = "990101") -> int:
    version = plans.import_plan(session, ADMIN, make_plan(), region_code=region_code)
    return version.plan_id
