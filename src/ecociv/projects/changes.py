"""Change requests (项目动态调整): a project's location, scale, technical plan, investment,
period or lead unit changes only when an approver approves the request; the plan version's
project list is written then and only then, and every step is audited.

An approval is refused when the field no longer holds the value the request was made from
(someone else's change was approved in between): the requester must ask again.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.projects.records import get_record, require_role, where_of
from ecociv.projects.vocab import ChangeField, change_fields
from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.tables.projects_life import ProjectChange, ProjectRecord

YEAR_MIN, YEAR_MAX = 1949, 2100
TEXT_MAX = 2000


def change_where(change: ProjectChange) -> str:
    return f"{where_of(change.record)}/change/{change.id}"


def current_value(record: ProjectRecord, spec: ChangeField) -> Any:
    row = record.project if spec.table == "project" else record
    return getattr(row, spec.column)


def request_change(
    session: Session, actor: Actor, record_id: int, *, field: str, new_value: Any, reason: str
) -> ProjectChange:
    """File a pending request to set *field* to *new_value* (nothing changes yet)."""
    record = get_record(session, record_id)
    require_role(actor, record, "unit")
    where = f"{where_of(record)}/change"
    fields = change_fields()
    if field not in fields:
        raise ValidationError(
            f"不可变更的字段 {field!r}（可选：{'、'.join(fields)}）",
            f"{field!r} cannot be changed (one of: {', '.join(fields)})",
            where=where,
        )
    spec = fields[field]
    value = normalise(spec, new_value, where)
    reason = (reason or "").strip()
    if not reason or len(reason) > TEXT_MAX:
        raise ValidationError(
            f"请说明变更理由（不超过 {TEXT_MAX} 字）",
            f"give the reason for the change (at most {TEXT_MAX} characters)",
            where=where,
        )
    if spec.kind == "year":
        _check_period(record, field, value, where)
    old = current_value(record, spec)
    if old == value:
        raise ValidationError(
            f"{spec.zh}已是所申请的值，无需变更", f"{spec.en} already has that value", where=where
        )
    change = ProjectChange(
        record=record,
        field=field,
        old_value=old,
        new_value=value,
        reason=reason,
        requested_by=audit.actor_name(actor),
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        actor,
        "request",
        "project_change",
        change_where(change),
        after=audit.snapshot(change),
    )
    return change


def decide(
    session: Session, actor: Actor, change_id: int, *, approve: bool, comment: str | None = None
) -> ProjectChange:
    """Approve (the project row or record is written) or refuse a pending request."""
    change = get_change(session, change_id)
    record = change.record
    require_role(actor, record, "approver")
    where = change_where(change)
    if change.status != "pending":
        raise Conflict(
            f"该变更申请已{'批准' if change.status == 'approved' else '退回'}，不能再次审批",
            f"the change request was already {change.status}",
            where=where,
        )
    if not approve and not (comment or "").strip():
        raise ValidationError("不予批准时请写明理由", "give the reason for refusing", where=where)
    before = audit.snapshot(change)
    if approve:
        spec = change_fields()[change.field]
        if current_value(record, spec) != change.old_value:
            raise Conflict(
                f"{spec.zh}在申请后已被调整，请重新提出变更申请",
                f"{spec.en} changed after the request was made; file a new request",
                where=where,
            )
        row = record.project if spec.table == "project" else record
        row_before = audit.snapshot(row)
        setattr(row, spec.column, change.new_value)
        if spec.table == "project" and spec.column == "investment_wan_yuan":
            record.project.investment_text = None
        session.flush()
        audit.record(
            session,
            actor,
            "update",
            "project" if spec.table == "project" else "project_record",
            where_of(record),
            before=row_before,
            after=audit.snapshot(row),
        )
    change.status = "approved" if approve else "refused"
    change.decided_by = audit.actor_name(actor)
    change.decided_at = utcnow()
    change.decision_comment = (comment or "").strip() or None
    session.flush()
    audit.record(
        session,
        actor,
        change.status,
        "project_change",
        where,
        before=before,
        after=audit.snapshot(change),
    )
    return change


def get_change(session: Session, change_id: int) -> ProjectChange:
    change = session.get(ProjectChange, change_id)
    if change is None:
        raise NotFound(
            f"没有编号为 {change_id} 的变更申请",
            f"no change request {change_id}",
            where=f"change/{change_id}",
        )
    return change


def list_changes(session: Session, record_id: int) -> list[ProjectChange]:
    record = get_record(session, record_id)
    return list(
        session.scalars(
            select(ProjectChange)
            .where(ProjectChange.record_id == record.id)
            .order_by(ProjectChange.id)
        )
    )


def _check_period(record: ProjectRecord, field: str, year: int, where: str) -> None:
    start = year if field == "period_start" else record.project.period_start
    end = year if field == "period_end" else record.project.period_end
    if start is not None and end is not None and start > end:
        raise ValidationError(
            f"建设起始年 {start} 晚于完成年 {end}",
            f"the first year {start} is after the last year {end}",
            where=where,
        )


def normalise(spec: ChangeField, value: Any, where: str) -> Any:
    """The requested value in the column's form, or a :class:`ValidationError` saying what
    the field takes."""
    if spec.kind == "text" and isinstance(value, str) and 0 < len(value.strip()) <= TEXT_MAX:
        return value.strip()
    if (
        spec.kind == "amount"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= 1e9
    ):
        return float(value)
    if (
        spec.kind == "year"
        and isinstance(value, int)
        and not isinstance(value, bool)
        and YEAR_MIN <= value <= YEAR_MAX
    ):
        return value
    if spec.kind == "units" and isinstance(value, list):
        units = [u.strip() for u in value if isinstance(u, str) and u.strip()]
        if units and len(units) == len(value) and all(len(u) <= 200 for u in units):
            return units
    expected = {
        "text": ("非空文字", "non-empty text"),
        "amount": ("0 至 10 亿之间的万元数", "a number of 10k yuan from 0 to 1e9"),
        "year": (f"{YEAR_MIN}—{YEAR_MAX} 的年份", f"a year {YEAR_MIN}–{YEAR_MAX}"),
        "units": ("单位名称列表", "a list of unit names"),
    }[spec.kind]
    raise ValidationError(
        f"{spec.zh}的新值 {value!r} 无效，应为{expected[0]}",
        f"new value {value!r} for {spec.en} is invalid: expected {expected[1]}",
        where=where,
    )
