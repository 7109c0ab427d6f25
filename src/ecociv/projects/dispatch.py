"""调度 reports: per project and period, 形象进度, investment completed this period and to
date, this year's planned investment, milestones reached, problems.

A report is entered once per period (a second entry of the same period is a
:class:`Conflict`) and then updated from the version read (optimistic locking), so that many
people reporting on one project lose nothing: the loser of a race is told to reload.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecociv.projects.periods import PeriodError, period_end
from ecociv.projects.records import get_record, require_role, where_of
from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.services.days import check_day
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.tables.projects_life import DispatchReport, ProjectRecord

AMOUNT_MAX = 1e9
PROBLEMS_MAX = 200
TEXT_MAX = 2000


@dataclass(frozen=True)
class MilestoneReached:
    """A milestone statement of a report: the node (by name) and its actual date, or None
    when the report says it is not reached yet."""

    name: str
    actual: date | None


@dataclass(frozen=True)
class ReportInput:
    period: str
    progress_percent: float | None = None
    planned_progress_percent: float | None = None
    invested_period_wan_yuan: float | None = None
    invested_to_date_wan_yuan: float | None = None
    planned_year_wan_yuan: float | None = None
    milestones: tuple[MilestoneReached, ...] = ()
    problems: tuple[str, ...] = ()
    note: str | None = None


def report_where(record: ProjectRecord, period: str) -> str:
    return f"{where_of(record)}/report/{period}"


def get_report(session: Session, record_id: int, period: str) -> DispatchReport:
    record = get_record(session, record_id)
    found = _find(session, record.id, period)
    if found is None:
        where = report_where(record, period)
        raise NotFound(f"{where} 没有调度报告", f"{where} has no report", where=where)
    return found


def list_reports(session: Session, record_id: int) -> list[DispatchReport]:
    return list(get_record(session, record_id).reports)


def save_report(
    session: Session,
    actor: Actor,
    record_id: int,
    report: ReportInput,
    *,
    expected_version: int | None = None,
) -> DispatchReport:
    """Enter the period's report (``expected_version=None``) or update the version read."""
    record = get_record(session, record_id)
    require_role(actor, record, "unit")
    where = report_where(record, report.period)
    try:
        period_end(report.period, record.report_frequency)
    except PeriodError as error:
        raise ValidationError(error.zh, error.en, where=where) from None
    fields = _fields(session, record, report, where)
    existing = _find(session, record.id, report.period)
    if existing is None:
        if expected_version is not None:
            raise Conflict(
                f"{where} 已被他人删除，请刷新后重新填报",
                f"{where} was deleted by someone else; reload and report again",
                where=where,
            )
        return _insert(session, actor, record, report, fields, where)
    if expected_version is None:
        raise Conflict(
            f"{where} 已有调度报告（第 {existing.version} 版），请在现有报告上修改",
            f"{where} already has a report (version {existing.version}); edit it instead",
            where=where,
            current=audit.snapshot(existing),
        )
    check_version(existing, expected_version, where)
    before = audit.snapshot(existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.updated_by = audit.actor_name(actor)
    existing.updated_at = utcnow()
    _write_milestones(record, report)
    flush_guarded(session, where)
    audit.record(
        session,
        actor,
        "update",
        "dispatch_report",
        where,
        before=before,
        after=audit.snapshot(existing),
    )
    return existing


def _insert(
    session: Session,
    actor: Actor,
    record: ProjectRecord,
    report: ReportInput,
    fields: dict[str, Any],
    where: str,
) -> DispatchReport:
    row = DispatchReport(
        record_id=record.id, period=report.period, updated_by=audit.actor_name(actor), **fields
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"{where} 刚刚已被他人填报，请刷新后在其基础上修改",
            f"{where} was just reported by someone else; reload and edit it",
            where=where,
        ) from None
    _write_milestones(record, report)
    session.flush()
    audit.record(session, actor, "create", "dispatch_report", where, after=audit.snapshot(row))
    return row


def _fields(
    session: Session, record: ProjectRecord, report: ReportInput, where: str
) -> dict[str, Any]:
    problems: list[dict[str, str]] = []
    for name in ("progress_percent", "planned_progress_percent"):
        value = getattr(report, name)
        if value is not None and not (math.isfinite(value) and 0 <= value <= 100):
            problems.append({"field": name, "zh": "须为 0 至 100", "en": "must be 0 to 100"})
    for name in ("invested_period_wan_yuan", "invested_to_date_wan_yuan", "planned_year_wan_yuan"):
        value = getattr(report, name)
        if value is not None and not (math.isfinite(value) and 0 <= value <= AMOUNT_MAX):
            problems.append(
                {"field": name, "zh": "须为 0 至 10 亿万元", "en": "must be 0 to 1e9 (10k yuan)"}
            )
    to_date = report.invested_to_date_wan_yuan
    if to_date is None and report.invested_period_wan_yuan is not None:
        to_date = (
            _previous_to_date(session, record, report.period) + report.invested_period_wan_yuan
        )
    if (
        to_date is not None
        and report.invested_period_wan_yuan is not None
        and to_date + 1e-9 < report.invested_period_wan_yuan
    ):
        problems.append(
            {
                "field": "invested_to_date_wan_yuan",
                "zh": "累计完成投资不能小于本期完成投资",
                "en": "the investment to date cannot be less than this period's",
            }
        )
    known = {m.name for m in record.milestones}
    for item in report.milestones:
        if item.actual is not None:
            check_day(item.actual, where, "milestones")
    for item in report.milestones:
        if item.name not in known:
            problems.append(
                {
                    "field": "milestones",
                    "zh": f"项目没有节点“{item.name}”",
                    "en": f"the project has no milestone “{item.name}”",
                }
            )
    texts = [p.strip() for p in report.problems if p.strip()]
    if len(texts) > PROBLEMS_MAX or any(len(p) > TEXT_MAX for p in texts):
        problems.append(
            {
                "field": "problems",
                "zh": f"问题至多 {PROBLEMS_MAX} 条、每条不超过 {TEXT_MAX} 字",
                "en": f"at most {PROBLEMS_MAX} problems of {TEXT_MAX} characters each",
            }
        )
    if problems:
        raise ValidationError(
            "；".join(f"{p['field']}：{p['zh']}" for p in problems),
            "; ".join(f"{p['field']}: {p['en']}" for p in problems),
            where=where,
            problems=problems,
        )
    planned = {m.name: m.planned for m in record.milestones}
    return {
        "progress_percent": report.progress_percent,
        "planned_progress_percent": report.planned_progress_percent,
        "invested_period_wan_yuan": report.invested_period_wan_yuan,
        "invested_to_date_wan_yuan": to_date,
        "planned_year_wan_yuan": report.planned_year_wan_yuan,
        "milestones": [
            {
                "name": m.name,
                "planned": planned[m.name].isoformat(),
                "actual": m.actual.isoformat() if m.actual else None,
            }
            for m in report.milestones
        ],
        "problems": texts,
        "note": (report.note or "").strip() or None,
    }


def _previous_to_date(session: Session, record: ProjectRecord, period: str) -> float:
    """The investment to date of the latest earlier report (0 when none)."""
    earlier = session.scalar(
        select(DispatchReport.invested_to_date_wan_yuan)
        .where(
            DispatchReport.record_id == record.id,
            DispatchReport.period < period,
            DispatchReport.invested_to_date_wan_yuan.is_not(None),
        )
        .order_by(DispatchReport.period.desc())
        .limit(1)
    )
    return earlier or 0.0


def _write_milestones(record: ProjectRecord, report: ReportInput) -> None:
    reached = {m.name: m.actual for m in report.milestones}
    for milestone in record.milestones:
        if milestone.name in reached:
            milestone.actual = reached[milestone.name]


def _find(session: Session, record_id: int, period: str) -> DispatchReport | None:
    return session.scalar(
        select(DispatchReport).where(
            DispatchReport.record_id == record_id, DispatchReport.period == period
        )
    )
