"""The sample's 2024 air values, computed from synthetic hourly station data by the
monitoring code (HJ 633-2012 IAQI/AQI per day, GB 3095-2012 表4 validity, HJ 663-2013 annual
statistics) instead of being typed in: two stations per district, city level per district."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ecociv.model import Observation

YEAR = 2024
STATIONS_PER_DISTRICT = 2
SEED = 7
AIR_SEQ = {"air.good_days_ratio": "5", "air.pm25_annual_mean": "6"}
"""Monitoring indicator code → the sequence number of that indicator in the sample plan."""


def district_air(districts: tuple[str, ...], year: int = YEAR) -> list[Observation]:
    """Annual air observations per district from synthetic hourly data (DuckDB)."""
    from ecociv.monitor import backends, synth
    from ecociv.monitor.compute import AirRequest, execute_air, rule_sets
    from ecociv.monitor.observations import air_observations

    spec = synth.SynthSpec(stations=STATIONS_PER_DISTRICT * len(districts), year=year, seed=SEED)
    hourly = synth.generate(spec)
    stations = synth.station_metadata(spec)
    owners = [code for code in districts for _ in range(STATIONS_PER_DISTRICT)]
    column = stations.schema.get_field_index("region_code")
    stations = stations.set_column(column, "region_code", pa.array(owners))
    times = hourly.column("time")
    rules = rule_sets(pc.min(times).as_py(), pc.max(times).as_py(), "auto")
    request = AirRequest(level="city", period="year")
    with backends.session("duckdb") as con:
        result = execute_air(
            con,
            backends.table(con, "hourly", hourly),
            request,
            rules,
            backends.table(con, "stations", stations),
        )
    source = "合成监测数据（ecociv.monitor）/ synthetic monitoring data"
    return [o for o in air_observations(result, source=source) if o.indicator_code in AIR_SEQ]
