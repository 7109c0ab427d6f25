"""填报任务 and the bureau's overview: each report's indicators with their values and status,
and completeness (完整率) and timeliness (及时率) per department and region.

* complete: the share of the report's indicators that have a value for the year;
* on time: the report was first submitted on or before the period's deadline (Beijing date);
  overdue: not yet submitted and the deadline has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.cycle.approval import LOCKED_STATE, editable_states, open_returns
from ecociv.cycle.contents import indicator_names, report_codes, report_values
from ecociv.cycle.roles import roles_for
from ecociv.store.models import User
from ecociv.store.services.audit import Actor
from ecociv.store.tables.cycle import PeriodReport, ReportingPeriod
from ecociv.store.tables.org import Department

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass
class TaskLine:
    """One indicator of a report: its value for the year (if any) and a reviewer's return."""

    code: str
    name: str
    value: float | None = None
    text: str | None = None
    unit: str | None = None
    source: str | None = None
    version: int | None = None
    returned: str | None = None


@dataclass
class ReportSummary:
    report_id: int
    period_id: int
    plan_id: int
    plan_name: str
    year: int
    deadline: date
    department: str
    department_code: str
    region: str
    region_code: str
    state: str
    version: int
    total: int
    filled: int
    first_submitted_at: datetime | None
    on_time: bool | None
    overdue: bool
    editable: bool
    lines: list[TaskLine] = field(default_factory=list)

    @property
    def complete(self) -> float:
        return 1.0 if self.total == 0 else self.filled / self.total


def summarise(
    session: Session, report: PeriodReport, now: datetime, *, with_lines: bool = False
) -> ReportSummary:
    period = report.period
    department = session.get(Department, report.department_id)
    assert department is not None
    codes = report_codes(session, report)
    values = report_values(session, report, codes)
    submitted = report.first_submitted_at
    deadline_passed = now.astimezone(BEIJING).date() > period.deadline
    summary = ReportSummary(
        report_id=report.id,
        period_id=period.id,
        plan_id=period.plan_id,
        plan_name=period.plan.name,
        year=period.year,
        deadline=period.deadline,
        department=department.name,
        department_code=department.code,
        region=report.region.name,
        region_code=report.region.code,
        state=report.state,
        version=report.version,
        total=len(codes),
        filled=len(values),
        first_submitted_at=submitted,
        on_time=None
        if submitted is None
        else submitted.astimezone(BEIJING).date() <= period.deadline,
        overdue=submitted is None and deadline_passed,
        editable=report.state in editable_states(),
    )
    if with_lines:
        names = indicator_names(session, period.plan_id, codes)
        returns = open_returns(session, report)
        for code in codes:
            observation = values.get(code)
            line = TaskLine(code=code, name=names[code])
            if observation is not None:
                line.value, line.text, line.unit = (
                    observation.value,
                    observation.text,
                    observation.unit,
                )
                line.source, line.version = observation.source, observation.version
            if code in returns:
                line.returned = returns[code].comment
            summary.lines.append(line)
    return summary


def my_reports(session: Session, user: Actor, now: datetime) -> list[ReportSummary]:
    """The reports *user* can act on or fill in (a filler: their department's; a reviewer or
    approver: every report in their region), newest period first."""
    query = (
        select(PeriodReport)
        .join(ReportingPeriod, PeriodReport.period_id == ReportingPeriod.id)
        .order_by(ReportingPeriod.year.desc(), PeriodReport.id)
    )
    if isinstance(user, User) and user.role == "filler":
        query = query.where(PeriodReport.department_id == user.department_id)
    return [
        summarise(session, report, now)
        for report in session.scalars(query)
        if roles_for(user, report.region, report.department_id)
    ]


def period_overview(session: Session, period: ReportingPeriod, now: datetime) -> dict:
    """Every report of the period, and completeness and timeliness per department and per
    region (counts, so that a share is never shown without what it is a share of)."""
    summaries = [summarise(session, report, now) for report in period.reports]
    return {
        "reports": summaries,
        "by_department": _rollup(summaries, lambda s: s.department),
        "by_region": _rollup(summaries, lambda s: s.region),
    }


def _rollup(summaries: list[ReportSummary], key) -> list[dict]:
    groups: dict[str, list[ReportSummary]] = {}
    for summary in summaries:
        groups.setdefault(key(summary), []).append(summary)
    rows = []
    for name, group in groups.items():
        total = sum(s.total for s in group)
        filled = sum(s.filled for s in group)
        submitted = [s for s in group if s.first_submitted_at is not None]
        rows.append(
            {
                "name": name,
                "reports": len(group),
                "indicators": total,
                "filled": filled,
                "complete": 1.0 if total == 0 else filled / total,
                "submitted": len(submitted),
                "on_time": sum(1 for s in submitted if s.on_time),
                "overdue": sum(1 for s in group if s.overdue),
                "approved": sum(1 for s in group if s.state == LOCKED_STATE),
            }
        )
    return rows
