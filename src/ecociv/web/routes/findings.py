"""A plan's check findings (检查结果): those of its current version, stored at import
(``docs/check-json.md``), and a reviewer's "accept as is" that hides a finding on this and the
next versions while its stable id stays the same."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from ecociv.store.services import plan_review, plans
from ecociv.store.services.access import can_edit
from ecociv.web.deps import CurrentUser, DbSession, Writer, require_region_edit
from ecociv.web.pages import page
from ecociv.web.present import plan_dict

router = APIRouter()


@page(router, "/plans/{plan_id}/findings", "findings.html")
def plan_findings(plan_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    return {
        "plan": plan_dict(plan),
        "editable": can_edit(user, plan.region),
        **plan_review.current_findings(db, plan_id),
    }


@router.post("/plans/{plan_id}/findings/accept", name="accept_finding")
def accept_finding(
    plan_id: int,
    db: DbSession,
    user: Writer,
    finding: Annotated[str, Form(max_length=100)],
) -> Response:
    plan = plans.get_plan(db, plan_id)
    require_region_edit(user, plan.region)
    plan_review.accept_finding(db, user, plan_id, finding)
    return RedirectResponse(f"/plans/{plan_id}/findings", status_code=303)
