"""The lock: a value that belongs to a submitted or approved report cannot change.

A value (region, indicator, year) belongs to a report when a period of that year is open for a
plan in which the report's department owns the indicator, for the value's region.  It may be
entered or changed only while every such report is in an editable state (draft, returned);
after approval only an approver's unlock (解锁) opens it again — as DHIS2 locks approved data.

A department filler (填报员) may moreover write only the indicators their department owns.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ecociv.cycle.approval import LOCKED_STATE, editable_states, workflow
from ecociv.store.errors import Conflict, Forbidden
from ecociv.store.models import Region, User
from ecociv.store.services.audit import Actor
from ecociv.store.tables.cycle import IndicatorOwnership, PeriodReport, ReportingPeriod


def require_writable(
    session: Session, actor: Actor, region: Region, indicator_code: str, year: int
) -> None:
    """Refuse a change of the value when its report is locked (:class:`Conflict`, naming the
    report's state and who may reopen it) or when a filler's department does not own it."""
    where = f"{region.code}/{indicator_code}/{year}"
    if isinstance(actor, User) and actor.role == "filler":
        owned = session.scalar(
            select(IndicatorOwnership.id).where(
                IndicatorOwnership.indicator_code == indicator_code,
                IndicatorOwnership.department_id == actor.department_id,
            )
        )
        if owned is None:
            raise Forbidden(
                f"用户 {actor.name} 所在单位不是该指标的数据责任单位，不能填报",
                f"user {actor.name}'s department is not responsible for this indicator",
                where=where,
            )
    reports = session.execute(
        select(PeriodReport.id, PeriodReport.state)
        .join(ReportingPeriod, PeriodReport.period_id == ReportingPeriod.id)
        .join(
            IndicatorOwnership,
            (IndicatorOwnership.plan_id == ReportingPeriod.plan_id)
            & (IndicatorOwnership.department_id == PeriodReport.department_id),
        )
        .where(
            PeriodReport.region_id == region.id,
            ReportingPeriod.year == year,
            IndicatorOwnership.indicator_code == indicator_code,
        )
    ).all()
    editable = editable_states()
    for report_id, state in reports:
        if state in editable and _hold(session, report_id, editable):
            continue
        current = session.scalar(select(PeriodReport.state).where(PeriodReport.id == report_id))
        shown = current or state
        raise Conflict(
            f"{region.name} {year} 年该指标的数据{workflow().state_label(shown)}，不能修改；"
            "如需更正，请审核人退回或审批人解锁",
            f"this value of {region.name} for {year} is {workflow().state_label(shown, 'en')} "
            "and cannot change; "
            "ask the reviewer to return it or the approver to unlock it",
            where=where,
        )


def _hold(session: Session, report_id: int, editable: frozenset[str]) -> bool:
    """Hold the report open until this transaction ends: a no-op update that matches only
    while the report is editable.  It takes the row's lock on PostgreSQL (a concurrent
    transition waits, then sees its version unchanged and goes ahead after this write) and
    the write lock on SQLite, so no submit or approval slips between the check and the save."""
    held = session.execute(
        update(PeriodReport)
        .where(PeriodReport.id == report_id, PeriodReport.state.in_(editable))
        .values(state=PeriodReport.state)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], held).rowcount == 1


def approved_keys(session: Session, region: Region, codes: list[str]) -> set[tuple[str, int]]:
    """The (indicator code, year) pairs of *region* whose report is approved (locked)."""
    rows = session.execute(
        select(IndicatorOwnership.indicator_code, ReportingPeriod.year)
        .join(ReportingPeriod, ReportingPeriod.plan_id == IndicatorOwnership.plan_id)
        .join(
            PeriodReport,
            (PeriodReport.period_id == ReportingPeriod.id)
            & (PeriodReport.department_id == IndicatorOwnership.department_id),
        )
        .where(
            PeriodReport.region_id == region.id,
            PeriodReport.state == LOCKED_STATE,
            IndicatorOwnership.indicator_code.in_(codes),
        )
    )
    return {(code, year) for code, year in rows.tuples()}
