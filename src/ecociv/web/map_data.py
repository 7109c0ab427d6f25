"""Boundaries for the map (一张图): which served GeoJSON file draws a region's children.

The files in ``static/geo/`` are derived from a packaged data set keyed by GB/T 2260 codes
(``static/geo/README.md``; ``make boundaries``).  A region is drawn when its division code is a
feature of its parent's file; otherwise the map lists it with the reason, and never guesses a
shape by name.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

STATIC_GEO = "/static/geo"
BANDS = ((0.9, "b90"), (0.7, "b70"), (0.5, "b50"), (0.0, "b0"))
"""Readiness bands of the map's colours, from the top: share ≥ 0.9, ≥ 0.7, ≥ 0.5, below."""


def band_of(share: float | None) -> str:
    """The readiness band of *share* (``none`` when nothing could be judged)."""
    if share is None:
        return "none"
    return next(name for floor, name in BANDS if share >= floor)


@cache
def boundary_index() -> dict[str, Any]:
    """``static/geo/index.json``: source, and per city its file and districts (code → name)."""
    path = resources.files("ecociv.web") / "static" / "geo" / "index.json"
    return json.loads(path.read_text(encoding="utf-8"))


def city_boundaries(division_code: str | None) -> dict[str, Any] | None:
    """The served file of the city with *division_code*, or None."""
    if not division_code:
        return None
    for city in boundary_index()["cities"]:
        if city["code"] == division_code:
            return city
    return None


def with_boundaries(data: dict[str, Any]) -> dict[str, Any]:
    """*data* from ``map_view.region_map`` with ``boundary`` (the file to draw, or why none)
    and, on each area, ``boundary_name`` and ``drawn`` (or ``not_drawn`` with the reason)."""
    region = data["region"]
    city = city_boundaries(region["division_code"])
    source = boundary_index()["source"]
    if city is None:
        reason = "no_division_code" if not region["division_code"] else "not_in_data"
        data["boundary"] = {"file": None, "reason": reason, "source": source}
    else:
        data["boundary"] = {
            "file": f"{STATIC_GEO}/{city['file']}",
            "map_name": f"cn-{city['code']}",
            "reason": None,
            "source": source,
        }
    districts = city["districts"] if city else {}
    for area in data["areas"]:
        area["band"] = band_of(area["readiness"]["share"])
        code = area["division_code"]
        area["boundary_name"] = districts.get(code) if code else None
        if area["boundary_name"] is not None:
            area["not_drawn"] = None
        elif city is None:
            area["not_drawn"] = data["boundary"]["reason"]
        else:
            area["not_drawn"] = "no_division_code" if not code else "not_in_data"
    return data


def map_payload(data: dict[str, Any], basis: str = "plan") -> dict[str, list[dict[str, Any]]]:
    """What the canvas draws: the drawn areas (keyed by division code, with the fields the
    tooltip shows; in indicator mode the plan target's verdict, or the standard's when
    *basis* is ``standard``; a click opens the drill-down, or in readiness mode the area's gap
    list against the map's standard) and the points that have coordinates.  Both languages' reasons
    travel; the page picks one."""
    plan_id, indicator = data["plan"]["id"], data["indicator"]
    areas = []
    for area in data["areas"]:
        if area["not_drawn"] is not None:
            continue
        view = area["indicator"] or {}
        verdict = view.get("standard_verdict" if basis == "standard" else "verdict") or {}
        if indicator:
            url = f"/plans/{plan_id}/drill/{indicator['code']}?region={area['code']}"
        else:
            url = (
                f"/plans/{plan_id}/readiness?region={area['code']}"
                f"&standard={data['standard']['id']}"
            )
        if data["as_of"] is not None:
            url += f"&as_of={data['as_of']}"
        areas.append(
            {
                "division_code": area["division_code"],
                "name": area["name"],
                "boundary_name": area["boundary_name"],
                "band": area["band"],
                "share": area["readiness"]["share"],
                "met": area["readiness"]["met"],
                "applicable": area["readiness"]["applicable"],
                "status": verdict.get("status"),
                "reason_zh": verdict.get("reason_zh"),
                "reason_en": verdict.get("reason_en"),
                "latest": view.get("latest"),
                "url": url,
            }
        )
    points = [
        {"type": "station", "kind": s["kind"], "name": s["name"], "lon": s["lon"], "lat": s["lat"]}
        for s in data["stations"]
        if s["lon"] is not None
    ] + [
        {"type": "project", "kind": "project", "name": p["name"], "lon": p["lon"], "lat": p["lat"]}
        for p in data["projects"]
        if p["lon"] is not None
    ]
    return {"areas_for_map": areas, "points_for_map": points}
