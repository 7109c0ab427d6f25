"""Submit → review → approve (lock), with return for correction and unlock: the transitions of
one report, run by the ``data_approval`` workflow definition.

Every transition is authorised by the workflow (the roles :mod:`ecociv.cycle.roles` grants the
actor for this report), guarded against a concurrent one (the report's row is locked and its
``version`` must be the one the actor saw), written to the report's history and to the audit
log in the same transaction, and announced to the people who act next.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecociv.cycle import notices
from ecociv.cycle.contents import indicator_names, missing_codes, report_codes
from ecociv.cycle.roles import roles_for
from ecociv.store.errors import Conflict, Forbidden, NotFound, ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.tables.cycle import PeriodReport, ReportStep, ReturnedValue
from ecociv.workflow import Workflow, load

WORKFLOW_NAME = "data_approval"
FILL_TRANSITION = "submit"
"""The transition a filler takes; its source states are the ones in which data may change."""
RETURN_TRANSITION = "return"
"""The reviewer's and approver's step back to the filler (with a comment per value)."""
LOCKED_STATE = "approved"
"""The state of approved, locked data (the one ``approved_only`` assessments read)."""


@cache
def workflow() -> Workflow:
    """The approval workflow, loaded (and validated) once, on first use."""
    return load(WORKFLOW_NAME)


def editable_states() -> frozenset[str]:
    """The states in which a report's values may be entered or changed: those the filler can
    submit from (draft, returned).  Everything else is submitted, approved or locked."""
    return frozenset(workflow().transition(FILL_TRANSITION).sources)


def report_key(report: PeriodReport) -> str:
    return f"{report.period_id}/{report.department_id}/{report.region.code}"


def fire(
    session: Session,
    actor: Actor,
    report_id: int,
    transition: str,
    *,
    expected_version: int,
    comment: str | None = None,
    returned: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> PeriodReport:
    """Take *transition* on the report the actor read at *expected_version*.

    *returned* (for ``return``) maps indicator codes of the report to the reviewer's comment
    on each value sent back; *now* is the time recorded (the clock by default).
    """
    report = _locked(session, report_id)
    key = report_key(report)
    roles = roles_for(actor, report.region, report.department_id)
    if not roles:
        raise Forbidden(
            f"用户 {audit.actor_name(actor)} 不参与 {report.region.name} 该单位的填报审批",
            f"user {audit.actor_name(actor)} takes no part in this report of {report.region.name}",
            where=key,
        )
    if report.version != expected_version:
        raise Conflict(
            f"填报任务已被 {report.updated_by or '他人'} 处理（现为第 {report.version} 版，"
            f"您看到的是第 {expected_version} 版）；请刷新后再操作",
            f"the report was changed by {report.updated_by or 'someone else'} (now version "
            f"{report.version}, you saw version {expected_version}); reload and try again",
            where=key,
            current=audit.snapshot(report),
        )
    comment = (comment or "").strip() or None
    returned = {code: text.strip() for code, text in (returned or {}).items() if text.strip()}
    before = audit.snapshot(report)
    source = report.state
    target = workflow().fire(source, transition, roles, comment=comment)
    codes = report_codes(session, report)
    if transition == FILL_TRANSITION:
        missing = list(
            indicator_names(
                session, report.period.plan_id, missing_codes(session, report, codes)
            ).values()
        )
        if missing:
            raise ValidationError(
                f"还有 {len(missing)} 项指标未填报（{'、'.join(missing)}），不能上报；"
                "暂无数据的指标请填写“暂无数据”并说明原因",
                f"{len(missing)} indicator(s) have no value yet ({', '.join(missing)}); enter "
                "them (write 暂无数据 with a note where there is none) before submitting",
                where=key,
            )
    unknown = sorted(set(returned) - set(codes))
    if unknown:
        raise ValidationError(
            f"退回的指标不属于该填报任务：{'、'.join(unknown)}",
            f"the returned indicators are not part of this report: {', '.join(unknown)}",
            where=key,
        )
    now = now or utcnow()
    # Queries first, then the report's changes: one UPDATE, so one version step per transition.
    if transition == FILL_TRANSITION:
        _resolve_returned(session, report, now)
    for code, text in sorted(returned.items()):
        session.add(
            ReturnedValue(
                report_id=report.id,
                indicator_code=code,
                comment=text,
                returned_by=audit.actor_name(actor),
                returned_at=now,
            )
        )
    if transition == FILL_TRANSITION and report.first_submitted_at is None:
        report.first_submitted_at = now
    report.state = target
    report.updated_by = audit.actor_name(actor)
    report.updated_at = now
    session.add(
        ReportStep(
            report_id=report.id,
            transition=transition,
            from_state=source,
            to_state=target,
            comment=comment,
            actor=audit.actor_name(actor),
            at=now,
        )
    )
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            "填报任务在您操作的同时已被他人处理，请刷新后重试",
            "the report was changed by someone else while you acted; reload and try again",
            where=key,
        ) from None
    audit.record(
        session,
        actor,
        transition,
        "period_report",
        key,
        before=before,
        after={**audit.snapshot(report), "comment": comment, "returned": returned},
    )
    notices.announce(
        session,
        report,
        transition,
        step=workflow().transition(transition).zh,
        state=workflow().state_label(report.state),
        actor=audit.actor_name(actor),
        comment=comment,
    )
    return report


def _locked(session: Session, report_id: int) -> PeriodReport:
    """The report, its row locked until the transaction ends (PostgreSQL ``FOR UPDATE``;
    SQLite serialises writers anyway), read fresh from the database."""
    report = session.scalar(
        select(PeriodReport)
        .where(PeriodReport.id == report_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if report is None:
        raise NotFound(
            f"填报任务 {report_id} 不存在",
            f"report {report_id} does not exist",
            where=str(report_id),
        )
    return report


def _resolve_returned(session: Session, report: PeriodReport, now: datetime) -> None:
    for row in session.scalars(
        select(ReturnedValue).where(
            ReturnedValue.report_id == report.id, ReturnedValue.resolved_at.is_(None)
        )
    ):
        row.resolved_at = now


def open_returns(session: Session, report: PeriodReport) -> dict[str, ReturnedValue]:
    """The values of the report still waiting for correction (code → the latest return)."""
    rows = session.scalars(
        select(ReturnedValue)
        .where(ReturnedValue.report_id == report.id, ReturnedValue.resolved_at.is_(None))
        .order_by(ReturnedValue.id)
    )
    return {row.indicator_code: row for row in rows}
