"""Fixtures of the task tests: regions, departments, users in them, a plan with an indicator."""

from __future__ import annotations

import pytest
from task_builders import ADMIN

from ecociv import model
from ecociv.settings import load_settings
from ecociv.store.services import departments, plans, regions, users


@pytest.fixture
def org(session):
    """(session, plan id, users): 990101 with departments 生态环境局 (assigning), 住建局,
    水利局, and a town 990101001 with its own office."""
    regions.create_region(session, ADMIN, code="99", name="测试省", level="province")
    regions.create_region(
        session, ADMIN, code="9901", name="青岚市", level="city", parent_code="99"
    )
    regions.create_region(
        session, ADMIN, code="990101", name="西溪区", level="county", parent_code="9901"
    )
    regions.create_region(
        session, ADMIN, code="990101001", name="桥头镇", level="town", parent_code="990101"
    )
    regions.create_region(
        session, ADMIN, code="990102", name="东岭区", level="county", parent_code="9901"
    )
    for code, name, region in [
        ("xx-sthj", "西溪区生态环境局", "990101"),
        ("xx-zjj", "西溪区住建局", "990101"),
        ("xx-slj", "西溪区水利局", "990101"),
        ("qt-zf", "桥头镇人民政府", "990101001"),
        ("dl-zjj", "东岭区住建局", "990102"),
    ]:
        departments.create_department(session, ADMIN, code=code, name=name, region_code=region)
    people = {}
    for name, department in [("生态环境局", "xx-sthj"), ("住建局", "xx-zjj"), ("水利局", "xx-slj")]:
        people[name] = users.create_user(
            session, ADMIN, name=name, password=None, role="editor", region_code="990101"
        )
        departments.assign_user(session, ADMIN, name, department)
    indicator = model.IndicatorRow(
        seq="1",
        domain="生态环境",
        unit="%",
        name="城市生活污水集中收集率",
        cells={"name": model.Cell(text="城市生活污水集中收集率")},
    )
    plan = model.Plan(
        source=model.PlanSource(path="synthetic.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="西溪区生态环境保护规划", period_start=2021, period_end=2025
        ),
        tables=[
            model.PlanTable(
                index=0,
                kind="indicator",
                rows=[indicator],
                columns=[model.Column(index=0, key="name", role="name", header="指标")],
            )
        ],
    )
    plan_id = plans.import_plan(session, ADMIN, plan, region_code="990101").plan_id
    session.commit()
    return session, plan_id, people


@pytest.fixture
def settings(tmp_path):
    return load_settings(data_dir=tmp_path)
