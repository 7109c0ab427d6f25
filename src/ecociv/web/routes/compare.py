"""Region comparison (地区对比): a region and the regions directly below it, side by side, on
the indicators of one plan (the region's own, or the nearest one above it) — each cell the
latest value up to the chosen year and its verdict."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ecociv.store.errors import NotFound
from ecociv.store.models import Plan
from ecociv.store.services import assessment, plans, regions
from ecociv.web.dashboard_data import verdict_dict
from ecociv.web.deps import CurrentUser, DbSession
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
    columns = [regions.get_region(db, code), *regions.children(db, code)]
    judged = {
        region.code: assessment.assess_plan(db, chosen.id, region_code=region.code, as_of=year)
        for region in columns
    }
    first = judged[columns[0].code].indicators
    rows = [
        {
            "code": row.code,
            "seq": row.seq,
            "name": row.name,
            "unit": row.unit,
            "targets": [{"year": y, "text": t} for y, t in sorted(row.targets.items())],
            "values": {},
        }
        for row in first
    ]
    by_code = {row["code"]: row for row in rows}
    years: set[int] = set()
    for region_code, result in judged.items():
        for row in result.indicators:
            years.update(row.observed)
            if row.year is None:
                continue
            latest = row.observed[row.year]
            by_code[row.code]["values"][region_code] = {
                "year": row.year,
                "value": latest["value"],
                "text": latest["text"],
                "verdict": verdict_dict(row.verdict),
            }
    return {
        "plan": plan_dict(chosen),
        "region": region_dict(columns[0]),
        "regions": [region_dict(r) for r in columns],
        "year": year,
        "years": sorted(years),
        "totals": {code: result.totals for code, result in judged.items()},
        "rows": rows,
    }
