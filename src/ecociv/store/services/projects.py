"""Key projects (重点项目) of a plan and their investment by category, year and lead unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from ecociv.store.errors import ValidationError
from ecociv.store.models import Project
from ecociv.store.services.plans import get_version

Grouping = Literal["category", "year", "lead_unit"]
UNSPECIFIED = "（未注明）"


@dataclass(frozen=True)
class InvestmentGroup:
    """Total investment (万元) of the projects in one group; ``unpriced`` counts projects
    without a stated amount (they are not guessed)."""

    key: str
    total_wan_yuan: float
    projects: int
    unpriced: int


def list_projects(session: Session, plan_id: int, version: int | None = None) -> list[Project]:
    return list(get_version(session, plan_id, version).projects)


def investment_summary(
    session: Session, plan_id: int, by: Grouping, version: int | None = None
) -> list[InvestmentGroup]:
    """Investment grouped *by* category, by year, or by lead unit, largest first.

    By year, a project's amount is spread evenly over ``period_start``–``period_end``; a
    project led by several units is counted in full under each of them (the groups then
    overlap, as they do in the plans' own tables).
    """
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    unpriced: dict[str, int] = defaultdict(int)
    for project in list_projects(session, plan_id, version):
        for key, share in _shares(project, by):
            counts[key] += 1
            if project.investment_wan_yuan is None:
                unpriced[key] += 1
            else:
                totals[key] += project.investment_wan_yuan * share
    groups = [
        InvestmentGroup(key, round(totals[key], 4), counts[key], unpriced[key]) for key in counts
    ]
    if by == "year":
        return sorted(groups, key=lambda group: group.key)
    return sorted(groups, key=lambda group: (-group.total_wan_yuan, group.key))


def _shares(project: Project, by: Grouping) -> list[tuple[str, float]]:
    if by == "category":
        return [(project.category or UNSPECIFIED, 1.0)]
    if by == "lead_unit":
        return [(unit, 1.0) for unit in project.lead_units] or [(UNSPECIFIED, 1.0)]
    if by == "year":
        start, end = project.period_start, project.period_end or project.period_start
        if start is None or end is None or end < start:
            return [(UNSPECIFIED, 1.0)]
        years = range(start, end + 1)
        return [(str(year), 1.0 / len(years)) for year in years]
    raise ValidationError(
        f"分组方式 {by!r} 无效（category/year/lead_unit）",
        f"invalid grouping {by!r} (category/year/lead_unit)",
    )
