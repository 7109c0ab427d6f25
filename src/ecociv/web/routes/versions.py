"""A plan's versions (版本): each import, who made it, and what changed since the one before."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ecociv.store.services import plans
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import plan_dict

router = APIRouter()


@page(router, "/plans/{plan_id}/versions", "versions.html")
def plan_versions(plan_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    return {
        "plan": plan_dict(plan),
        "versions": [
            {
                "version": v.version,
                "imported_by": v.imported_by,
                "imported_at": v.imported_at.isoformat() if v.imported_at else None,
                "source_sha256": v.source_sha256,
                "indicators": len(v.indicators),
                "projects": len(v.projects),
                "diff": v.diff or None,
            }
            for v in reversed(plans.list_versions(db, plan_id))
        ],
    }
