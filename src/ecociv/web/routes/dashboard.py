"""The plan dashboard (驾驶舱): verdict counts by domain, the indicator table with verdict chips
and margins, and a chart per indicator — for the plan's region or a region below it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ecociv.store.services import assessment, plans, regions
from ecociv.store.services.access import can_edit
from ecociv.web.dashboard_data import dashboard_dict
from ecociv.web.deps import CurrentUser, DbSession, ViewDep
from ecociv.web.pages import page
from ecociv.web.present import plan_dict, region_dict

router = APIRouter()
RegionQuery = Annotated[str | None, Query(max_length=32)]
AsOf = Annotated[int | None, Query(ge=1949, le=2100)]


@page(router, "/plans/{plan_id}", "dashboard.html")
def dashboard(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    view: ViewDep,
    region: RegionQuery = None,
    as_of: AsOf = None,
    approved: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    target = regions.get_region(db, region) if region else plan.region
    result = assessment.assess_plan(
        db, plan_id, region_code=target.code, as_of=as_of, approved_only=approved
    )
    return {
        "plan": plan_dict(plan),
        "region": region_dict(target),
        "regions": [region_dict(r) for r in regions.subtree(db, plan.region.code)],
        "editable": can_edit(user, target),
        "approved_only": approved,
        **dashboard_dict(result, view.lang),
    }
