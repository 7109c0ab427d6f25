"""Hypothesis properties of the air computations: IAQI is monotonic in the concentration,
AQI is the maximum IAQI, and a day with fewer valid hours than GB 3095 Table 4 requires has no
24-hour mean (the last two on DuckDB, through one compiled query)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pandas as pd
import pytest
from air_frames import POLLUTANTS, day_rows
from air_frames import load_hours as _load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecociv.monitor import air
from ecociv.monitor.iaqi import aqi, iaqi, primary_pollutants
from ecociv.monitor.rules import load_rules

RULES = {"2012": load_rules("2012"), "2026": load_rules("2026")}
TABLES = [(rid, key) for rid, rules in RULES.items() for key in rules.breakpoints]
D = dt.date(2025, 7, 1)


@st.composite
def two_concentrations(draw):
    rid, key = draw(st.sampled_from(TABLES))
    table = RULES[rid].breakpoints[key]
    top = table.values[-1]
    # a 2012 fallback column is not monotonic across 800 (another value takes over)
    high = top if table.above_top is not None else top * Decimal("1.2")
    conc = st.decimals(min_value=0, max_value=high, places=3, allow_nan=False)
    a, b = sorted((draw(conc), draw(conc)))
    return rid, key, a, b


@given(two_concentrations())
@settings(max_examples=400, deadline=None)
def test_iaqi_is_monotonic_in_concentration(case):
    rid, key, a, b = case
    rules = RULES[rid]
    table = rules.breakpoints[key]
    assert iaqi(table.pollutant, table.period, a, rules) <= iaqi(
        table.pollutant, table.period, b, rules
    )


iaqi_values = st.one_of(st.none(), st.integers(min_value=0, max_value=500))


@given(
    st.dictionaries(
        st.sampled_from(["so2", "no2", "pm10", "co", "pm25", "o3_8h"]), iaqi_values, min_size=1
    )
)
@settings(max_examples=300, deadline=None)
def test_aqi_is_the_maximum_iaqi(iaqis):
    present = [v for v in iaqis.values() if v is not None]
    for rules in RULES.values():
        value = aqi(iaqis, rules)
        if len(present) == len(iaqis):
            assert value == max(present)
        assert value is None or value == max(present)
        primary = primary_pollutants(iaqis, rules)
        assert all(iaqis[k] == value for k in primary)


@pytest.fixture(scope="module")
def compiled():
    """One DuckDB connection and the daily query of each rule set, compiled once."""
    con = ibis.duckdb.connect()
    empty = pd.DataFrame(day_rows("s", D, **dict.fromkeys(POLLUTANTS, 1.0)))
    _load(con, empty)
    sql = {rid: ibis.to_sql(air.daily(con.table("hours"), r)) for rid, r in RULES.items()}
    return con, sql


hour_value = st.one_of(
    st.none(), st.floats(min_value=0, max_value=600, allow_nan=False).map(lambda x: round(x, 1))
)


@given(
    st.fixed_dictionaries({p: st.lists(hour_value, min_size=24, max_size=24) for p in POLLUTANTS})
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_daily_validity_and_aqi_max_on_duckdb(compiled, hours):
    con, sql = compiled
    frame = pd.DataFrame(day_rows("s", D, **hours))
    _load(con, frame)
    for rid, query in sql.items():
        row = con.con.execute(query).fetchdf().iloc[0]
        for p in ("so2", "no2", "pm10", "pm25", "co"):
            n_valid = sum(v is not None for v in hours[p])
            assert row[f"n_hours_{p}"] == n_valid
            assert pd.isna(row[f"{p}_24h"]) == (n_valid < RULES[rid].validity.daily_min_hours)
        keys = [f"iaqi_{k}" for k in RULES[rid].reports["daily"].indicators]
        present = [int(row[k]) for k in keys if not pd.isna(row[k])]
        if len(present) == len(keys):
            assert row.aqi == max(present)
        if not pd.isna(row.aqi):
            assert row.aqi == max(present)
