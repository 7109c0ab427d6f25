"""The audit log (操作日志): every write, who made it, when, and the record before and after.
Administrators only — it shows every region's changes and every user's name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ecociv.store.errors import Forbidden
from ecociv.store.services import audit
from ecociv.web.audit_view import action_label, beijing_time, field_changes, label
from ecociv.web.deps import CurrentUser, DbSession, ViewDep
from ecociv.web.pages import page

router = APIRouter()
PAGE_SIZE = 100


@page(router, "/audit", "audit.html")
def audit_log(
    db: DbSession,
    user: CurrentUser,
    view: ViewDep,
    entity: Annotated[str | None, Query(max_length=32)] = None,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    key: Annotated[str | None, Query(max_length=300)] = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> dict[str, Any]:
    if user.role != "admin":
        raise Forbidden("操作日志仅限管理员查看", "only administrators may read the audit log")
    entries = audit.list_entries(
        db,
        entity=entity or None,
        actor=actor or None,
        key=key or None,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    names = audit.key_names(db, [e.entity_key for e in entries])
    return {
        "filters": {"entity": entity, "actor": actor, "key": key},
        "page": page_number,
        "page_size": PAGE_SIZE,
        "entries": [
            {
                "at": e.at.isoformat() if e.at else None,
                "at_local": beijing_time(e.at),
                "actor": e.actor,
                "action": e.action,
                "action_label": action_label(view.t, e.entity, e.action),
                "entity": e.entity,
                "entity_label": label(view.t, "audit_entity", e.entity),
                "key": e.entity_key,
                "key_label": " / ".join(names.get(p, p) for p in e.entity_key.split("/")),
                "before": e.before,
                "after": e.after,
                "changes": field_changes(e.before, e.after, view.t),
            }
            for e in entries
        ],
    }
