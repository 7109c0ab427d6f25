"""Published practice (MONITORING.md §1.5): the real-time AQI from the six 1-hour values, the
natural-day O3 8-hour moving mean, GB/T 8170 rounding of every average before its IAQI."""

from __future__ import annotations

import datetime as dt

import pytest
from air_frames import day_rows, hourly_table, nan_to_none, run

from ecociv.monitor import air
from ecociv.monitor.air_options import AirOptions
from ecociv.monitor.rules import load_rules

R12, R26 = load_rules("2012"), load_rules("2026")
D = dt.date(2024, 5, 1)
TABLE4 = AirOptions(practice="standard_text")


def _hours(rows, rules, options=None):
    got = run(air.hourly_aqi(hourly_table(rows), rules, options))
    return got.sort_values("time").reset_index(drop=True)


@pytest.mark.parametrize("rules", [R12, R26], ids=["2012", "2026"])
def test_realtime_aqi_is_the_max_of_the_six_1h_iaqis(rules):
    # PM2.5 1-hour 120 on the 24-hour breakpoints (both rule sets): 150 + 50·5/35 = 157.1 → 158;
    # the 24-hour moving mean 43.333333, published as 43, is reported beside it with its own
    # IAQI (2012: 50 + 50·8/40 = 60; 2026: 50 + 50·8/25 = 66) and does not enter the AQI.
    rows = day_rows("A", D, pm25=[40.0] * 23 + [120.0], pm10=40, so2=5, no2=5, co=0.2, o3=20)
    got = _hours(rows, rules)
    last = got.iloc[23]
    assert last.iaqi_pm25 == 158 and last.aqi == 158 and last.primary_pollutant == "PM2.5"
    assert last.pm25_24h_moving == 43 and last.pm25_24h_moving_mean == pytest.approx(43.333333)
    assert last.iaqi_pm25_24h == {"2012": 60, "2026": 66}[rules.id]
    assert last.o3_8h_moving == 20 and last.iaqi_o3_8h == 10


def test_o3_8h_moving_stays_inside_the_natural_day():
    # day D: O3 = hour label (1 … 24); the next day: 100 every hour
    rows = day_rows("A", D, o3=[float(k + 1) for k in range(24)], pm25=10)
    rows += day_rows("A", D + dt.timedelta(days=1), o3=100.0, pm25=10)
    got = _hours(rows, R12)
    # 03:00 averages 01:00–03:00 = 2; 08:00 averages 01:00–08:00 = 4.5 → 4 (half to even)
    assert got.o3_8h_moving[2] == 2 and got.o3_8h_moving[7] == 4
    assert got.o3_8h_moving_mean[7] == 4.5
    # 24:00 (next day 00:00) closes day D: 17..24 → 20.5 → 20
    assert got.time[23] == dt.datetime(2024, 5, 2, 0) and got.o3_8h_moving[23] == 20
    # the next day's 01:00 starts again from its own hour: 100, not a mean with day D
    assert got.o3_8h_moving[24] == 100
    table4 = _hours(rows, R12, TABLE4)  # trailing windows cross midnight, ≥ 6 of 8
    assert nan_to_none(table4.o3_8h_moving[2]) is None
    assert table4.o3_8h_moving[24] == pytest.approx((sum(range(18, 25)) + 100) / 8)


def test_natural_day_window_needs_every_hour_of_a_short_window():
    o3 = [None, 50.0, 50.0] + [50.0] * 21
    got = _hours(day_rows("A", D, o3=o3), R12)
    # 02:00 has 1 of 2 hours; 07:00 has 6 of 7; 08:00 has 7 of 8
    assert nan_to_none(got.o3_8h_moving[1]) is None
    assert got.o3_8h_moving[6] == 50 and got.o3_8h_moving[7] == 50


@pytest.mark.parametrize(
    ("values", "published"),
    [
        ([28.0] * 21 + [29.0, 31.0, 30.0], 28),  # 28.25 → 28
        ([28.0] * 12 + [29.0] * 12, 28),  # 28.5 → 28 (even)
        ([29.0] * 12 + [30.0] * 12, 30),  # 29.5 → 30 (even)
        ([29.0] * 12 + [30.0] * 11 + [31.0], 30),  # 29.541667 → 30
    ],
)
def test_24h_mean_is_published_half_to_even_and_indexed_from_the_published_value(values, published):
    got = run(air.daily(hourly_table(day_rows("A", D, pm25=values)), R12)).iloc[0]
    exact = sum(values) / 24
    assert got.pm25_24h == published and got.pm25_24h_mean == pytest.approx(exact, abs=1e-6)
    assert got.iaqi_pm25 == -(-published * 50 // 35)  # ceil(published · 50/35)
    table4 = run(air.daily(hourly_table(day_rows("A", D, pm25=values)), R12, TABLE4)).iloc[0]
    assert table4.pm25_24h == pytest.approx(exact, abs=1e-6)


@pytest.mark.parametrize(
    ("co", "published"),
    [(1.25, 1.2), (1.35, 1.4), (1.45, 1.4), (0.05, 0.0), (0.15, 0.2), (2.25, 2.2), (1.251, 1.3)],
)
def test_co_24h_mean_in_0_05_steps(co, published):
    # half of the hours at co - 0.05, half at co + 0.05: the mean is co exactly
    values = [round(co - 0.05, 3)] * 12 + [round(co + 0.05, 3)] * 12
    got = run(air.daily(hourly_table(day_rows("A", D, co=values)), R12)).iloc[0]
    assert got.co_24h == published and got.co_24h_mean == pytest.approx(co)


def test_an_hourly_value_enters_as_given():
    # CO 1520 µg/m³ = 1.52 mg/m³: the IAQI of 1.52 on the 1-hour table (10·1.52 = 15.2 → 16),
    # not of 1.5 (15); 1.04 → 10.4 → 11, not 10: the hourly value is not rounded first
    got = _hours(day_rows("A", D, co=[1.52] * 12 + [1.04] * 12), R12)
    assert got.co_1h[0] == 1.52 and got.iaqi_co[0] == 16
    assert got.co_1h[12] == 1.04 and got.iaqi_co[12] == 11


def test_missing_pollutant_2012_present_ones_2026_only_above_100():
    rows = day_rows("A", D, pm25=[50.0] * 12 + [200.0] * 12, pm10=40, no2=20, co=0.5, o3=20)
    r12, r26 = _hours(rows, R12), _hours(rows, R26)  # SO2 missing everywhere
    assert r12.aqi[0] == 69 and r12.aqi[12] == 250  # 2012: the AQI of those present
    # 2026 §5.3.1: published only above 100, else NA (the IAQIs are still given)
    assert nan_to_none(r26.aqi[0]) is None and r26.iaqi_pm25[0] == 80 and r26.aqi[12] == 250
    assert not r26.complete[0] and not r12.complete[0]


def test_table4_reading_is_kept_as_a_named_option():
    rows = day_rows("A", D, pm25=[40.0] * 23 + [120.0], pm10=40, so2=5, no2=5, co=0.2, o3=20)
    last = _hours(rows, R12, TABLE4).iloc[23]
    # Table 4: the PM2.5 IAQI is that of the 24-hour moving mean 43.333333 (exact): 60.4 → 61
    assert last.iaqi_pm25 == 61 and last.aqi == 61 and nan_to_none(last.iaqi_pm25_24h) is None
