"""What the library shows: investment completion by category, lead unit, region and year,
the lagging list, and the timeline (periods and milestones) of a plan's projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from ecociv.projects.lagging import Lag, Milestone, Status, lags
from ecociv.projects.periods import parse_period
from ecociv.projects.records import LIFECYCLE, list_records
from ecociv.store.errors import ValidationError
from ecociv.store.services.projects import UNSPECIFIED
from ecociv.store.tables.projects_life import DispatchReport, ProjectRecord
from ecociv.workflow import load

Grouping = Literal["category", "lead_unit", "region", "year"]
GROUPINGS: tuple[Grouping, ...] = ("category", "lead_unit", "region", "year")


@dataclass(frozen=True)
class Completion:
    """Planned and completed investment (万元) of one group; ``rate`` is completed / planned
    (None when nothing is planned)."""

    key: str
    planned_wan_yuan: float
    completed_wan_yuan: float
    projects: int

    @property
    def rate(self) -> float | None:
        if self.planned_wan_yuan <= 0:
            return None
        return round(self.completed_wan_yuan / self.planned_wan_yuan, 4)


@dataclass(frozen=True)
class Lagging:
    record: ProjectRecord
    report: DispatchReport | None
    lags: list[Lag]


def completion(
    session: Session,
    by: Grouping,
    *,
    plan_id: int | None = None,
    region_code: str | None = None,
) -> list[Completion]:
    """Investment completion grouped *by* category, lead unit (a project of several units
    counts in full under each), region, or year (planned spread evenly over the project's
    period; completed is what the reports of that year's periods say was done in them)."""
    if by not in GROUPINGS:
        raise ValidationError(
            f"分组方式 {by!r} 无效（{'/'.join(GROUPINGS)}）",
            f"invalid grouping {by!r} ({'/'.join(GROUPINGS)})",
            where="by",
        )
    planned: dict[str, float] = defaultdict(float)
    completed: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for record in list_records(session, plan_id=plan_id, region_code=region_code):
        project = record.project
        if by == "year":
            for year, share in _years(record):
                planned[year] += (project.investment_wan_yuan or 0) * share
                counts[year] += 1
            for report in record.reports:
                completed[report.period[:4]] += report.invested_period_wan_yuan or 0
                counts.setdefault(report.period[:4], 0)
            continue
        done = latest_to_date(record)
        for key in _keys(record, by):
            planned[key] += project.investment_wan_yuan or 0
            completed[key] += done
            counts[key] += 1
    groups = [
        Completion(key, round(planned[key], 4), round(completed[key], 4), counts[key])
        for key in counts
    ]
    if by == "year":
        return sorted(groups, key=lambda g: g.key)
    return sorted(groups, key=lambda g: (-g.planned_wan_yuan, g.key))


def latest_to_date(record: ProjectRecord) -> float:
    """The investment to date of the latest report that states it (0 without one)."""
    stated = [
        r.invested_to_date_wan_yuan
        for r in record.reports
        if r.invested_to_date_wan_yuan is not None
    ]
    return stated[-1] if stated else 0.0


def lagging_list(
    session: Session,
    as_of: date,
    *,
    plan_id: int | None = None,
    region_code: str | None = None,
) -> list[Lagging]:
    """Projects being carried out (neither in reserve nor ended) that lag at *as_of*, by
    their latest report up to then and their milestones."""
    flow = load(LIFECYCLE)
    found = []
    for record in list_records(session, plan_id=plan_id, region_code=region_code):
        if record.state == flow.initial or flow.is_terminal(record.state):
            continue
        report = _latest_report(record, as_of)
        project = record.project
        status = Status(
            as_of=as_of,
            first_year=project.period_start,
            last_year=project.period_end,
            investment_wan_yuan=project.investment_wan_yuan,
            progress_percent=report.progress_percent if report else None,
            planned_progress_percent=report.planned_progress_percent if report else None,
            invested_to_date_wan_yuan=report.invested_to_date_wan_yuan if report else None,
            milestones=tuple(Milestone(m.name, m.planned, m.actual) for m in record.milestones),
        )
        warnings = lags(status)
        if warnings:
            found.append(Lagging(record, report, warnings))
    return found


def _latest_report(record: ProjectRecord, as_of: date) -> DispatchReport | None:
    due = [r for r in record.reports if parse_period(r.period)[1] <= as_of]
    return due[-1] if due else None


def _keys(record: ProjectRecord, by: Grouping) -> list[str]:
    project = record.project
    if by == "category":
        return [project.category or UNSPECIFIED]
    if by == "lead_unit":
        return list(project.lead_units) or [UNSPECIFIED]
    return [record.region.name]


def _years(record: ProjectRecord) -> list[tuple[str, float]]:
    start = record.project.period_start
    end = record.project.period_end or start
    if start is None or end is None or end < start:
        return [(UNSPECIFIED, 1.0)]
    years = range(start, end + 1)
    return [(str(year), 1.0 / len(years)) for year in years]
