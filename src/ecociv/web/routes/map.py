"""一张图: a plan region's districts on a map coloured by readiness or by one indicator's
verdict, with stations and projects as points; and the drill-down (下钻) from a city's
indicator to its districts' values, verdicts and total.  Each page has its JSON twin."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from ecociv.store.services import map_view
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.map_data import map_payload, with_boundaries
from ecociv.web.pages import AsOf, page

router = APIRouter()
RegionQuery = Annotated[str | None, Query(max_length=32)]
IndicatorQuery = Annotated[str | None, Query(max_length=100)]
StandardQuery = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z0-9]+$")]
"""A standard version id (``nat2021``…); empty: the region's default (the readiness view's rule)."""
BasisQuery = Annotated[Literal["plan", "standard"], Query()]
"""Which verdict colours the map in indicator mode: the plan target's or the standard's."""


@page(router, "/plans/{plan_id}/map", "map.html", cache=True)
def plan_map(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    region: RegionQuery = None,
    as_of: AsOf = None,
    indicator: IndicatorQuery = None,
    basis: BasisQuery = "plan",
    standard: StandardQuery = None,
) -> dict[str, Any]:
    return map_page_data(db, plan_id, region, as_of, indicator or None, basis, standard or None)


def map_page_data(
    db: Session,
    plan_id: int,
    region: str | None,
    as_of: int | None,
    indicator: str | None = None,
    basis: Literal["plan", "standard"] = "plan",
    standard: str | None = None,
) -> dict[str, Any]:
    """What the map partial (``_map.html``) draws: the map page's data, also the big screen's;
    readiness is judged against *standard* (None: the region's default)."""
    data = map_view.region_map(
        db, plan_id, region_code=region, as_of=as_of, indicator=indicator, standard=standard
    )
    data = with_boundaries(data)
    return {**data, "basis": basis, **map_payload(data, basis)}


@page(router, "/plans/{plan_id}/drill/{code}", "drill.html", cache=True)
def plan_drill(
    plan_id: int,
    code: str,
    db: DbSession,
    user: CurrentUser,
    region: RegionQuery = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    return map_view.drill(db, plan_id, code, region_code=region, as_of=as_of)
