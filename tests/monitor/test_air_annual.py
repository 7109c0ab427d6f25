"""Annual statistics per HJ 663-2013: percentiles (Appendix A), validity of the year
(GB 3095-2012 Table 4), 优良天数比例, 综合指数 and GB 3095 compliance, on DuckDB."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_EVEN, Decimal

import ibis
import numpy as np
import pandas as pd
import pytest
from air_frames import nan_to_none, run

from ecociv.monitor import air
from ecociv.monitor.air_annual import percentile_column
from ecociv.monitor.rules import load_rules

R12 = load_rules("2012")
R26 = load_rules("2026")
SERIES = ("so2_24h", "no2_24h", "pm10_24h", "pm25_24h", "co_24h", "o3_8h_max")


def _year_days(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


def _station(name: str, days: list[dt.date], **values) -> list[dict]:
    """Daily rows; each value is a constant or a function of the day's index."""
    rows = []
    for i, day in enumerate(days):
        row = {"station_id": name, "date": pd.Timestamp(day)}
        for col in (*SERIES, "aqi"):
            v = values.get(col)
            row[col] = v(i) if callable(v) else v
        rows.append(row)
    return rows


def _annual(rows: list[dict], rules, **kw) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in SERIES:
        frame[col] = frame[col].astype("float64")
    frame["aqi"] = frame["aqi"].astype("Int64")
    return run(air.annual(ibis.memtable(frame), rules, **kw)).set_index("station_id")


CLEAN = dict(so2_24h=30, no2_24h=40, pm10_24h=70, pm25_24h=35, co_24h=2, o3_8h_max=80, aqi=60)


def _days_with_month_counts(year: int, counts: dict[int, int]) -> list[dt.date]:
    return [d for d in _year_days(year) if d.day <= counts[d.month]]


def _months(total_extra: int = 0, feb: int = 25, other: int = 27) -> dict[int, int]:
    counts = {m: other for m in range(1, 13)}
    counts[2] = feb
    counts[1] += total_extra
    return counts


@pytest.fixture(scope="module")
def year2025():
    rows = _station(
        "ramp",
        _year_days(2025),
        **{**CLEAN, "o3_8h_max": lambda i: 2 * (i + 1), "co_24h": lambda i: (i + 1) / 10},
    )
    rows += _station("d323", _days_with_month_counts(2025, _months(1)), **CLEAN)  # 25+11·27+1
    rows += _station("d324", _days_with_month_counts(2025, _months(2)), **CLEAN)
    rows += _station("feb24", _days_with_month_counts(2025, _months(40, feb=24)), **CLEAN)
    rows += _station("clean", _year_days(2025), **CLEAN)
    good = _station(
        "good", _year_days(2025), **{**CLEAN, "aqi": lambda i: 150 if i % 5 == 0 else 50}
    )
    for row in good[:15]:
        row["aqi"] = None
    rows += good
    return _annual(rows, R12)


def test_percentile_rule_of_hj663_appendix_a(year2025):
    row = year2025.loc["ramp"]
    # O3: X(i) = 2i; k = 1 + 364·0.90 = 328.6 → 656 + 0.6·2 = 657.2 → 657
    assert row.o3_8h_p90 == 657
    # CO: X(i) = i/10; k = 1 + 364·0.95 = 346.8 → 34.6 + 0.8·0.1 = 34.68 → 34.7
    assert row.co_p95 == pytest.approx(34.7)
    assert (
        percentile_column("o3", R12) == "o3_8h_p90" and percentile_column("so2", R12) == "so2_p98"
    )


def test_year_validity_323_vs_324_days_and_the_month_rule(year2025):
    assert year2025.loc["d323"].days_pm25 == 323 and not year2025.loc["d323"].valid_pm25
    assert year2025.loc["d324"].days_pm25 == 324 and year2025.loc["d324"].valid_pm25
    assert year2025.loc["feb24"].days_pm25 >= 324 and not year2025.loc["feb24"].valid_pm25
    assert nan_to_none(year2025.loc["d323"].compliant_pm25) is None  # not judged
    assert nan_to_none(year2025.loc["d323"].compliant) is None


def test_good_day_ratio(year2025):
    row = year2025.loc["good"]
    # 365 days, 15 without an AQI; of days 15..364 every fifth (i % 5 == 0) has AQI 150
    assert row.aqi_days == 350 and row.good_days == 280
    assert row.good_day_ratio == pytest.approx(80.0)


def test_composite_index_and_compliance_2012(year2025):
    row = year2025.loc["clean"]
    # 30/60 + 40/40 + 70/70 + 35/35 + 2/4 + 80/160
    assert row.composite_index == pytest.approx(4.5)
    assert row.composite_primary in {"NO2", "PM10", "PM2.5"}
    assert row.compliant and row.compliant_pm25 and row.rules == "2012"
    assert (row.pm25_annual_mean, row.pm25_p95, row.so2_p98) == (35, 35, 30)


def test_2026_limits_depend_on_the_stage_of_the_year():
    rows = _station("x", _year_days(2027), **CLEAN) + _station("x", _year_days(2031), **CLEAN)
    got = _annual(rows, R26).set_index("year")
    # transitional stage (to 2030): PM2.5 annual 30, PM10 annual 60
    assert not got.loc[2027].compliant_pm25 and not got.loc[2027].compliant
    assert got.loc[2027].composite_index == pytest.approx(0.5 + 1 + 70 / 60 + 35 / 30 + 0.5 + 0.5)
    # final stage (from 2031): SO2 annual 20 as well
    assert not got.loc[2031].compliant_so2
    assert got.loc[2031].rules == "2026"


def _numpy_percentile(values: list[float], p: int, decimals: int) -> Decimal:
    exact = Decimal(str(float(np.percentile(values, p, method="linear"))))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def test_percentiles_equal_numpy_linear_on_random_years():
    """HJ 663 Appendix A is numpy's "linear" method; random integer-valued years compared
    after the GB/T 8170 rounding of the statistic."""
    rng = random.Random(2013)
    rows, data = [], {}
    for s in range(8):
        days = [d for d in _year_days(2024) if rng.random() > 0.03]
        cols = {c: [rng.randint(0, 300) for _ in days] for c in SERIES}
        cols["co_24h"] = [rng.randint(0, 80) / 10 for _ in days]
        data[f"s{s}"] = cols
        rows += _station(
            f"s{s}", days, **{c: (lambda i, v=v: v[i]) for c, v in cols.items()}, aqi=50
        )
    got = _annual(rows, R12)
    pollutant = {
        "so2_24h": "so2",
        "no2_24h": "no2",
        "pm10_24h": "pm10",
        "pm25_24h": "pm25",
        "co_24h": "co",
        "o3_8h_max": "o3",
    }
    for station, cols in data.items():
        for col, values in cols.items():
            p = pollutant[col]
            want = _numpy_percentile(values, R12.annual.percentiles[p], 1 if p == "co" else 0)
            have = got.loc[station][percentile_column(p, R12)]
            assert Decimal(str(float(have))) == want, (station, col)
