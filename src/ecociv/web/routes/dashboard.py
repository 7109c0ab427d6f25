"""The plan dashboard (驾驶舱): verdict counts by domain, the indicator table with verdict chips
and margins, and a chart per indicator — for the plan's region or a region below it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ecociv.store.services import assessment, assessment_cache, plans, regions
from ecociv.store.services.access import can_edit
from ecociv.web.dashboard_data import dashboard_dict
from ecociv.web.deps import CurrentUser, DbSession, ViewDep
from ecociv.web.pages import AsOf, page
from ecociv.web.present import plan_dict, region_dict
from ecociv.web.readiness_data import years_of

router = APIRouter()
RegionQuery = Annotated[str | None, Query(max_length=32)]


@page(router, "/plans/{plan_id}", "dashboard.html", cache=True)
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

    def judged() -> dict[str, Any]:
        result = assessment.assess_plan(
            db, plan_id, region_code=target.code, as_of=as_of, approved_only=approved
        )
        return {
            "regions": [region_dict(r) for r in regions.subtree(db, plan.region.code)],
            "years": years_of(db, target.id),
            **dashboard_dict(result, view.lang),
        }

    key = ("dashboard", plan_id, target.code, as_of, approved, view.lang)
    judged_data, revision = assessment_cache.cached_with_revision(db, key, judged)
    return {
        "plan": plan_dict(plan),
        "region": region_dict(target),
        "editable": can_edit(user, target),
        "approved_only": approved,
        **judged_data,
        "revision": revision,
    }
