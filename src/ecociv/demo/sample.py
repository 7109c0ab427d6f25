"""Load the bundled sample into a store (regions → plan → yearly values).

The plan belongs to the city; each district enters its own values against the city's
indicator system, which is how a city's plan is usually worked on.  Values go through
``observations.save_observation`` (text read by ``ecociv.expr``), so the sample exercises the
same validation and history as a user's entry.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from ecociv.errors import InputError
from ecociv.store.models import PlanVersion
from ecociv.store.services import geo, observations, plans, regions

ACTOR = "ecociv-demo"
CITY_CODE = "990100"
PLAN_NAME = "青岚市生态文明建设规划（2021—2030年）"
DISTRICT_CODES = ("990102", "990103", "990104")
LEVELS = {"city": "city", "district": "county"}
"""Levels as written in the sample file → the store's region levels."""


def data_path(name: str) -> Path:
    return Path(str(resources.files("ecociv.demo") / "data" / name))


@dataclass
class Loaded:
    plan_id: int
    regions: int
    indicators: int
    values: int
    skipped: list[str]
    monitored: int = 0
    """Values computed from synthetic monitoring data rather than read from the CSV."""
    gep_accounts: int = 0
    """GEP accounts stored from the synthetic example workbook (:mod:`ecociv.gep.example`)."""


def load_sample(session: Session) -> Loaded:
    """Create the regions, import the plan for the city, enter every district's values."""
    from ecociv.ingest.api import load_plan

    region_rows = yaml.safe_load(data_path("qinglan_regions.yaml").read_text(encoding="utf-8"))
    for row in region_rows:
        regions.create_region(
            session,
            ACTOR,
            code=row["code"],
            name=row["name"],
            level=LEVELS[row["level"]],
            parent_code=row["parent"],
            terrain=row.get("terrain"),
            admin_class=row.get("city_class"),
            coastal=row.get("coastal"),
            division_code=row.get("division_code"),
        )
    plan = load_plan(data_path("qinglan_plan.txt"))
    version = plans.import_plan(session, ACTOR, plan, region_code=CITY_CODE, name=PLAN_NAME)
    code_by_seq = {row.seq: row.code for row in version.indicators if row.seq}
    entered, skipped = 0, []
    with data_path("qinglan_values.csv").open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = code_by_seq.get(row["indicator_seq"])
            if code is None:
                skipped.append(f"qinglan_values.csv:{line} 序号 {row['indicator_seq']}")
                continue
            observations.save_observation(
                session,
                ACTOR,
                region_code=row["region_code"],
                indicator_code=code,
                year=int(row["year"]),
                text=row["value"],
                source="示例数据（合成）",
            )
            entered += 1
    monitored = _monitored_air(session, code_by_seq)
    _places(session, version)
    gep = _gep_accounts(session, {row["code"]: row["name"] for row in region_rows})
    if entered == 0:
        raise InputError(
            "示例数据没有一条能对应到规划指标（序号不匹配）",
            "no sample value matched an indicator of the plan (sequence numbers differ)",
            where=str(data_path("qinglan_values.csv")),
        )
    return Loaded(
        plan_id=version.plan_id,
        regions=len(region_rows),
        indicators=len(version.indicators),
        values=entered + monitored,
        skipped=skipped,
        monitored=monitored,
        gep_accounts=gep,
    )


def _places(session: Session, version: PlanVersion) -> None:
    """The sample's monitoring stations and project locations (fictional points inside the
    borrowed districts; a station without coordinates is listed on the map, not drawn)."""
    project_ids = {project.name: project.id for project in version.projects}
    with data_path("qinglan_places.csv").open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            lon = float(row["lon"]) if row["lon"] else None
            lat = float(row["lat"]) if row["lat"] else None
            if row["type"] == "station":
                geo.save_station(
                    session,
                    ACTOR,
                    code=row["key"],
                    name=row["name"],
                    kind=row["kind"],
                    region_code=row["region_code"],
                    lon=lon,
                    lat=lat,
                    source="示例数据（虚构）",
                )
            elif row["key"] in project_ids:
                geo.set_project_location(session, ACTOR, project_ids[row["key"]], lon, lat)
            else:
                raise InputError(
                    f"示例项目“{row['key']}”不在示例规划中",
                    f"the sample project {row['key']!r} is not in the sample plan",
                    where=f"qinglan_places.csv:{line}",
                )


GEP_YEAR = 2024
GEP_SCALES = {CITY_CODE: 3.4, "990102": 1.0, "990103": 1.3, "990104": 0.8}
"""Size of each region's synthetic GEP inputs relative to the example district."""


def _gep_accounts(session: Session, names: dict[str, str]) -> int:
    """A GEP account per region from the synthetic example workbook, through the same
    compute-and-store service as an upload."""
    from io import BytesIO

    from ecociv.gep.catalog import DEFAULT_METHOD, load_method_set
    from ecociv.gep.example import write_example
    from ecociv.gep.prices import DEFAULT_PRICE_SET, load_price_set
    from ecociv.store.services import gep_accounts

    method, prices = load_method_set(DEFAULT_METHOD), load_price_set(DEFAULT_PRICE_SET)
    for code, scale in GEP_SCALES.items():
        buffer = BytesIO()
        write_example(buffer, region_name=names[code], region_code=code, year=GEP_YEAR, scale=scale)
        gep_accounts.compute_and_store(
            session,
            ACTOR,
            region_code=code,
            content=buffer.getvalue(),
            filename=f"GEP示例-{code}.xlsx",
            year=GEP_YEAR,
            method=method,
            prices=prices,
        )
    return len(GEP_SCALES)


def _monitored_air(session: Session, code_by_seq: dict[str, str]) -> int:
    """The districts' 2024 air values from synthetic station data (see :mod:`.air`)."""
    from ecociv.demo.air import AIR_SEQ, district_air

    saved = 0
    for observation in district_air(DISTRICT_CODES):
        value = round(observation.value, 1) if observation.value is not None else None
        observations.save_observation(
            session,
            ACTOR,
            region_code=observation.region_code,
            indicator_code=code_by_seq[AIR_SEQ[observation.indicator_code]],
            year=observation.year,
            value=value,
            unit=observation.unit,
            source=observation.source,
            note=observation.method,
        )
        saved += 1
    return saved
