"""Reporting periods (填报周期): a plan's year to report, with its deadline, and one report per
responsible department and region (the approval unit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecociv.cycle.approval import workflow
from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import Region
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.plans import get_plan
from ecociv.store.services.regions import get_region
from ecociv.store.tables.cycle import IndicatorOwnership, PeriodReport, ReportingPeriod


def open_period(
    session: Session,
    actor: Actor,
    *,
    plan_id: int,
    year: int,
    deadline: date,
    region_codes: Sequence[str] = (),
) -> ReportingPeriod:
    """Open the plan's period for *year*: one report, in the workflow's initial state, for each
    department that owns an indicator and each region (the plan's own region by default; towns
    and streets under it may be named too).  Whoever may edit the plan's region may open it."""
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    where = f"{plan_id}/{year}"
    if plan.period_start and plan.period_end and not plan.period_start <= year <= plan.period_end:
        raise ValidationError(
            f"{year} 年不在规划期（{plan.period_start}—{plan.period_end} 年）内",
            f"{year} lies outside the plan period ({plan.period_start}–{plan.period_end})",
            where=where,
        )
    if deadline.year < year:
        raise ValidationError(
            f"截止日期 {deadline.isoformat()} 早于所报年份 {year} 年",
            f"the deadline {deadline.isoformat()} is before the year reported ({year})",
            where=where,
        )
    regions = [_report_region(session, plan.region, code) for code in region_codes] or [plan.region]
    departments = sorted(
        set(
            session.scalars(
                select(IndicatorOwnership.department_id).where(
                    IndicatorOwnership.plan_id == plan_id
                )
            )
        )
    )
    if not departments:
        raise ValidationError(
            "该规划的指标尚未指定数据责任单位，请先分配后再开启填报",
            "no indicator of this plan has a responsible department yet; assign them first",
            where=where,
        )
    period = ReportingPeriod(
        plan_id=plan_id, year=year, deadline=deadline, opened_by=audit.actor_name(actor)
    )
    for department_id in departments:
        for region in regions:
            period.reports.append(
                PeriodReport(
                    department_id=department_id,
                    region=region,
                    state=workflow().initial,
                    updated_by=audit.actor_name(actor),
                )
            )
    try:
        with session.begin_nested():
            session.add(period)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"规划 {plan.name} 的 {year} 年填报周期已开启",
            f"the {year} reporting period of plan {plan.name} is already open",
            where=where,
        ) from None
    audit.record(
        session,
        actor,
        "create",
        "reporting_period",
        where,
        after={
            **audit.snapshot(period),
            "regions": [r.code for r in regions],
            "department_ids": departments,
        },
    )
    return period


def _report_region(session: Session, plan_region: Region, code: str) -> Region:
    region = get_region(session, code)
    if not region.path.startswith(plan_region.path):
        raise ValidationError(
            f"{region.name}（{code}）不在规划所属的 {plan_region.name} 范围内",
            f"{region.name} ({code}) is not inside the plan's region {plan_region.name}",
            where=code,
        )
    return region


def get_period(session: Session, period_id: int) -> ReportingPeriod:
    period = session.get(ReportingPeriod, period_id)
    if period is None:
        raise NotFound(
            f"填报周期 {period_id} 不存在",
            f"reporting period {period_id} does not exist",
            where=str(period_id),
        )
    return period


def list_periods(session: Session, plan_id: int) -> list[ReportingPeriod]:
    return list(
        session.scalars(
            select(ReportingPeriod)
            .where(ReportingPeriod.plan_id == plan_id)
            .order_by(ReportingPeriod.year.desc())
        )
    )


def get_report(session: Session, report_id: int) -> PeriodReport:
    report = session.get(PeriodReport, report_id)
    if report is None:
        raise NotFound(
            f"填报任务 {report_id} 不存在",
            f"report {report_id} does not exist",
            where=str(report_id),
        )
    return report
