"""The daily maximum 8-hour O3 mean (HJ 663-2013 Table A.1: the 17 windows ending 08:00 … 24:00
inside the natural day, each valid with ≥ 6 valid hours, GB 3095-2012 Table 4) against a plain
Python reference in exact fractions, on random days with missing rows, null and negative
(invalid) values, six-decimal values and near-ties between windows of 6, 7 and 8 hours."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import ibis
import pandas as pd
import pytest
from air_frames import POLLUTANTS, day_rows
from air_frames import load_hours as _load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecociv.monitor import air
from ecociv.monitor.air_options import AirOptions
from ecociv.monitor.iaqi import to_decimal
from ecociv.monitor.rules import load_rules

R12 = load_rules("2012")
D = dt.date(2025, 7, 1)
ABSENT = "absent"  # no row at all for the hour


@pytest.fixture(scope="module")
def compiled():
    """One DuckDB connection and the daily query (every window counted: ``any_window``)."""
    con = ibis.duckdb.connect()
    _load(con, pd.DataFrame(day_rows("s", D, **dict.fromkeys(POLLUTANTS, 1.0))))
    options = AirOptions(o3_8h_max_validity="any_window")
    return con, ibis.to_sql(air.daily(con.table("hours"), R12, options))


def _micro(value: float) -> int:
    return int(to_decimal(value) * 1_000_000)


def _half_even(fraction: Fraction) -> int:
    return round(fraction)  # Python rounds a Fraction half to even


def _reference(hours: list) -> tuple[int | None, int, int | None, int]:
    """(maximum 8-hour mean, valid windows, 1-hour maximum, valid hours), in micro-units."""
    valid = [None if v in (None, ABSENT) or v < 0 else _micro(v) for v in hours]
    means = []
    for end in range(8, 25):
        window = [v for v in valid[end - 8 : end] if v is not None]
        if len(window) >= 6:
            means.append(_half_even(Fraction(sum(window), len(window))))
    present = [v for v in valid if v is not None]
    return (
        max(means) if means else None,
        len(means),
        max(present) if present else None,
        len(present),
    )


# Values on a coarse grid around 100 µg/m³ make windows of 6, 7 and 8 hours with equal or
# nearly equal means; the others are any six-decimal value up to the plausible maximum.
near_ties = st.sampled_from([99.5, 100.0, 100.5, 100.000001, 99.999999, 114.285714, 0.0])
six_decimals = st.integers(min_value=0, max_value=2_000_000_000).map(lambda m: m / 1e6)
hour_value = st.one_of(
    st.just(None),
    st.just(ABSENT),
    st.just(-1.0),
    near_ties,
    six_decimals,
)
day = st.lists(hour_value, min_size=24, max_size=24)


@given(st.lists(day, min_size=1, max_size=4))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_o3_daily_maxima_equal_the_fraction_reference(compiled, days):
    con, sql = compiled
    rows = []
    for i, hours in enumerate(days):
        for k, row in enumerate(day_rows(f"s{i}", D, so2=1.0, o3=[None] * 24)):
            if hours[k] != ABSENT:
                rows.append(row | {"o3": hours[k]})
    if not rows:
        return
    _load(con, pd.DataFrame(rows))
    got = con.con.execute(sql).fetchdf().set_index("station_id")
    for i, hours in enumerate(days):
        top8, windows, top1, n_hours = _reference(hours)
        if all(v == ABSENT for v in hours):
            assert f"s{i}" not in got.index
            continue
        row = got.loc[f"s{i}"]
        assert row.n_o3_8h_windows == windows
        assert row.n_hours_o3 == n_hours
        mean = None if pd.isna(row.o3_8h_max_mean) else _micro(float(row.o3_8h_max_mean))
        assert mean == top8
        if top1 is not None and (n_hours >= 20 or top1 > 200_000_000):
            assert _micro(float(row.o3_1h_max)) == top1
        else:
            assert pd.isna(row.o3_1h_max)


def test_a_window_of_six_hours_beats_one_of_eight_by_one_micro_unit(compiled):
    """Means 100.000001 (six hours) and 100.000000 (eight): the float order picks the six."""
    con, sql = compiled
    hours = [None, None] + [100.000001] * 6 + [100.0] * 8 + [None] * 8
    rows = [r | {"o3": hours[k]} for k, r in enumerate(day_rows("s", D, so2=1.0))]
    _load(con, pd.DataFrame(rows))
    row = con.con.execute(sql).fetchdf().iloc[0]
    assert _micro(float(row.o3_8h_max_mean)) == 100_000_001
    assert row.o3_8h_max == 100  # published: GB/T 8170 to an integer
