"""Builders for the problem tests: a region tree, departments, users in them."""

from __future__ import annotations

from datetime import date

from ecociv.problems.records import ProblemInput
from ecociv.store.services import departments, regions, users

ADMIN = "pytest-admin"


def build_org(session) -> dict:
    """Regions 99 → 9901 → 990101; departments of 990101; users: an inspection office editor
    (assigner), two unit editors, a city editor (supervisor)."""
    regions.create_region(session, ADMIN, code="99", name="测试省", level="province")
    regions.create_region(
        session, ADMIN, code="9901", name="青岚市", level="city", parent_code="99"
    )
    regions.create_region(
        session, ADMIN, code="990101", name="西溪区", level="county", parent_code="9901"
    )
    for code, name in [
        ("xx-dcb", "西溪区督察办"),
        ("xx-zjj", "西溪区住建局"),
        ("xx-slj", "西溪区水利局"),
    ]:
        departments.create_department(session, ADMIN, code=code, name=name, region_code="990101")
    people = {}
    for name, region, department in [
        ("督察办", "990101", "xx-dcb"),
        ("住建局", "990101", "xx-zjj"),
        ("水利局", "990101", "xx-slj"),
        ("市局", "9901", None),
    ]:
        people[name] = users.create_user(
            session, ADMIN, name=name, password=None, role="editor", region_code=region
        )
        if department:
            departments.assign_user(session, ADMIN, name, department)
    return people


def inspection_finding(**changes) -> ProblemInput:
    values = {
        "source": "central_inspection",
        "source_ref": "第二轮中央生态环境保护督察反馈意见第 3 项",
        "title": "西溪河沿岸生活污水直排",
        "category": "water",
        "severity": "serious",
        "deadline": date(2025, 6, 30),
        "goal": "沿岸排口全部截污纳管",
        "measures": "新建截污管 3.2 公里，排口封堵",
        "responsible_leader": "副区长 王某",
        "lead_unit": "xx-zjj",
        "responsible_units": ("xx-slj",),
        "location": "西溪河桥头段",
        "latitude": 30.27,
        "longitude": 120.15,
    }
    values.update(changes)
    return ProblemInput(**values)
