"""A reporting cycle to test with: the plan of 西溪区 (990101) from ``make_plan``, two
departments owning two indicators each, the people of the cycle, and the 2023 period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.cycle import ownership, periods
from ecociv.store.models import User
from ecociv.store.services import departments, indicators, plans, users
from ecociv.store.services.users import get_user
from ecociv.store.tables.org import Department

DISTRICT = "990101"
DEADLINE = date(2024, 3, 31)
OWNERS = {
    "env": ("生态环境分局", ["细颗粒物（PM2.5）年均浓度", "空气质量优良天数比例"]),
    "nr": ("自然资源局", ["林草覆盖率", "单位地区生产总值能耗"]),
}
PEOPLE = {
    # name: (role, region, department)
    "filler_env": ("filler", DISTRICT, "env"),
    "filler_nr": ("filler", DISTRICT, "nr"),
    "reviewer": ("reviewer", DISTRICT, None),
    "approver": ("approver", "9901", None),
    "editor_b": ("editor", "990102", None),
    "approver_b": ("approver", "990102", None),
    "viewer": ("viewer", None, None),
}


@dataclass
class Cycle:
    session: Session
    plan_id: int
    period_id: int
    codes: dict[str, str]
    """indicator name → code"""
    reports: dict[str, int]
    """department code → report id (of 990101)"""

    def user(self, name: str) -> User:
        return get_user(self.session, name)

    def code(self, name: str) -> str:
        return self.codes[name]


def build_cycle(session: Session, *, open_period: bool = True) -> Cycle:
    version = plans.import_plan(session, ADMIN, make_plan(), region_code=DISTRICT)
    codes = {row.name: row.code for row in indicators.list_indicators(session, version.plan_id)}
    for code, (name, owned) in OWNERS.items():
        departments.create_department(session, ADMIN, code=code, name=name, region_code=DISTRICT)
        for indicator in owned:
            ownership.set_owner(
                session,
                ADMIN,
                plan_id=version.plan_id,
                indicator_code=codes[indicator],
                department_code=code,
            )
    for name, (role, region, department) in PEOPLE.items():
        users.create_user(session, ADMIN, name=name, password=None, role=role, region_code=region)
        if department:
            departments.assign_user(session, ADMIN, name, department)
    reports: dict[str, int] = {}
    period_id = 0
    if open_period:
        period = periods.open_period(
            session, ADMIN, plan_id=version.plan_id, year=2023, deadline=DEADLINE
        )
        period_id = period.id
        for report in period.reports:
            department = session.get(Department, report.department_id)
            assert department is not None
            reports[department.code] = report.id
    session.commit()
    return Cycle(session, version.plan_id, period_id, codes, reports)
