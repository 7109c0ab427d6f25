"""Region comparison (地区对比): a region and the regions directly below it, side by side, on
the indicators of one plan (the region's own, or the nearest one above it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ecociv.store.errors import NotFound
from ecociv.store.models import Plan
from ecociv.store.services import indicators, observations, plans, regions
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.indicator_data import indicator_dict
from ecociv.web.pages import page
from ecociv.web.present import plan_dict, region_dict

router = APIRouter()


def plan_for(db, code: str, plan_id: int | None) -> Plan:
    """The plan asked for, else the region's first plan, else the nearest ancestor's."""
    if plan_id is not None:
        return plans.get_plan(db, plan_id)
    region = regions.get_region(db, code)
    for candidate in [region, *reversed(regions.ancestors(db, region))]:
        found = plans.list_plans(db, candidate.code)
        if found:
            return found[0]
    raise NotFound(
        f"{region.name} 及其上级都没有规划，无法对比",
        f"neither {region.name} nor a region above has a plan",
        where=code,
    )


@page(router, "/regions/{code}/compare", "compare.html")
def compare(
    code: str,
    db: DbSession,
    user: CurrentUser,
    plan: Annotated[int | None, Query(ge=1)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> dict[str, Any]:
    chosen = plan_for(db, code, plan)
    root = regions.get_region(db, code)
    columns = [root, *regions.children(db, code)]
    rows = [indicator_dict(i) for i in indicators.list_indicators(db, chosen.id)]
    wanted = [r["code"] for r in rows]
    values: dict[str, dict[str, dict[str, Any]]] = {}
    years: set[int] = set()
    for region in columns:
        for obs in observations.list_observations(db, region.code, indicator_codes=wanted):
            years.add(obs.year)
            if year is None or obs.year == year:
                cell = values.setdefault(obs.indicator_code, {}).get(region.code)
                if cell is None or obs.year > cell["year"]:
                    values[obs.indicator_code][region.code] = {
                        "year": obs.year,
                        "value": obs.value,
                        "text": obs.text,
                    }
    return {
        "plan": plan_dict(chosen),
        "region": region_dict(root),
        "regions": [region_dict(r) for r in columns],
        "year": year,
        "years": sorted(years),
        "rows": [{**row, "values": values.get(row["code"], {})} for row in rows],
    }
