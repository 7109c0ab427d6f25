"""Coordinates of a point on the map (监测站点、项目位置), checked against China's extent.

The extent is data (``data/points.yaml``, with its source): a point outside it is nearly always
a swapped pair (纬度 written as 经度) or a wrong sign, and is refused rather than drawn at sea.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

import yaml

from ecociv.errors import InputError


@cache
def extent() -> tuple[tuple[float, float], tuple[float, float]]:
    """((lon min, lon max), (lat min, lat max)) in decimal degrees."""
    path = resources.files("ecociv.geo") / "data" / "points.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lon, lat = data["lon"], data["lat"]
    return (float(lon[0]), float(lon[1])), (float(lat[0]), float(lat[1]))


def check_point(lon: float | None, lat: float | None, *, where: str = "") -> None:
    """Both coordinates or neither; each a finite number inside :func:`extent`."""
    if lon is None and lat is None:
        return
    if lon is None or lat is None:
        raise InputError(
            "经度和纬度须同时给出或同时留空",
            "give both longitude and latitude, or neither",
            where=where or None,
        )
    (lon_min, lon_max), (lat_min, lat_max) = extent()
    problems_zh, problems_en = [], []
    if not (math.isfinite(lon) and lon_min <= lon <= lon_max):
        problems_zh.append(f"经度 {lon} 不在 {lon_min}—{lon_max} 之间")
        problems_en.append(f"longitude {lon} is not within {lon_min}–{lon_max}")
    if not (math.isfinite(lat) and lat_min <= lat <= lat_max):
        problems_zh.append(f"纬度 {lat} 不在 {lat_min}—{lat_max} 之间")
        problems_en.append(f"latitude {lat} is not within {lat_min}–{lat_max}")
    if problems_zh:
        swapped = lat_min <= lon <= lat_max and lon_min <= lat <= lon_max
        hint_zh = "；经纬度可能写反了" if swapped else ""
        hint_en = "; longitude and latitude may be swapped" if swapped else ""
        raise InputError(
            "；".join(problems_zh) + hint_zh,
            "; ".join(problems_en) + hint_en,
            where=where or None,
        )
