"""The audit log (操作日志): every write, who did it, when, and the record before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ecociv.store.models import AuditEntry, Base, PlanIndicator, Region, User

Actor = User | str
"""Who writes: a signed-in user (authorised by the services) or a trusted local caller's name."""

EXCLUDED_FIELDS = frozenset({"password_hash", "token_hash"})


def actor_name(actor: Actor) -> str:
    return actor.name if isinstance(actor, User) else actor


def snapshot(row: Base) -> dict[str, Any]:
    """The row's column values as JSON-ready data (secrets left out, times as ISO 8601)."""
    values: dict[str, Any] = {}
    for attr in inspect(row).mapper.column_attrs:
        if attr.key in EXCLUDED_FIELDS:
            continue
        values[attr.key] = _jsonable(getattr(row, attr.key))
    return values


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    key: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit entry to the current transaction (it commits or rolls back with the write)."""
    entry = AuditEntry(
        actor=actor_name(actor),
        action=action,
        entity=entity,
        entity_key=key,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def list_entries(
    session: Session,
    *,
    entity: str | None = None,
    key: str | None = None,
    actor: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest first, optionally filtered by entity, key and actor."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if key is not None:
        query = query.where(AuditEntry.entity_key == key)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query.limit(limit).offset(offset)))


def key_names(session: Session, keys: list[str]) -> dict[str, str]:
    """The names of the region and indicator codes in audit keys (``990102/plan.1a2b/2023``
    → 甲区, 细颗粒物…), so that a reader sees names, not codes."""
    parts = sorted({part for key in keys for part in key.split("/") if part})
    if not parts:
        return {}
    names = dict(
        session.execute(select(Region.code, Region.name).where(Region.code.in_(parts))).all()
    )
    for code, name in session.execute(
        select(PlanIndicator.code, PlanIndicator.name)
        .where(PlanIndicator.code.in_(parts))
        .order_by(PlanIndicator.id.desc())
    ).all():
        names.setdefault(code, name)
    return names
