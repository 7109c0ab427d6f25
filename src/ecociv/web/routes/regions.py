"""The region tree (行政区树) and a region's page: its plans and the regions below it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ecociv.store.services import plans, regions
from ecociv.store.services.access import can_edit
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import plan_dict, region_dict

router = APIRouter()


@page(router, "/regions", "regions.html")
def region_tree(db: DbSession, user: CurrentUser) -> dict[str, Any]:
    """Every region with its depth, parents first, the plans of each, and the plan its
    readiness view (创建研判) judges: its own, else the nearest region above it with one."""
    all_plans = plans.list_plans(db)
    by_region: dict[str, list[dict[str, Any]]] = {}
    for plan in all_plans:
        by_region.setdefault(plan.region.code, []).append(plan_dict(plan))
    rows = []
    for region in regions.list_regions(db):
        nearest = next(
            (
                by_region[c][0]
                for c in reversed(region.path.strip("/").split("/"))
                if c in by_region
            ),
            None,
        )
        rows.append(
            {
                **region_dict(region),
                "depth": region.path.strip("/").count("/"),
                "plans": by_region.get(region.code, []),
                "readiness_plan": nearest["id"] if nearest else None,
                "editable": can_edit(user, region),
            }
        )
    return {"regions": rows}


@page(router, "/regions/{code}", "region.html")
def region_page(code: str, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    region = regions.get_region(db, code)
    return {
        "region": region_dict(region),
        "ancestors": [region_dict(r) for r in regions.ancestors(db, region)],
        "children": [region_dict(r) for r in regions.children(db, code)],
        "plans": [plan_dict(p) for p in plans.list_plans(db, code)],
        "inherited_plans": [
            plan_dict(p)
            for r in regions.ancestors(db, region)
            for p in plans.list_plans(db, r.code)
        ],
        "editable": can_edit(user, region),
    }
