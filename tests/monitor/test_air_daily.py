"""Daily report per station and per city, and the real-time report (HJ 633, GB 3095-2012
Table 4 validity, HJ 663-2013), computed on DuckDB and checked against literal values and a
pure-Python Decimal reference."""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from air_frames import day_rows, hourly_table, nan_to_none, run

from ecociv.errors import EcocivError
from ecociv.monitor import air
from ecociv.monitor.air_options import AirOptions
from ecociv.monitor.iaqi import (
    MICRO,
    aqi,
    category,
    primary_pollutants,
    report_iaqis,
    round_half_even,
    to_decimal,
)
from ecociv.monitor.rules import CONCENTRATION_KINDS, load_rules

R12 = load_rules("2012")
R26 = load_rules("2026")
D = dt.date(2025, 6, 10)
MEAN_24H = ("so2", "no2", "pm10", "pm25", "co")


def _mask(valid_hours: range, value: float) -> list:
    return [value if k in valid_hours else None for k in range(24)]


CASES = {
    "full": {"so2": 10, "no2": 40, "pm10": 150, "pm25": 75, "co": 2.2, "o3": 100},
    "pm25_19h": {"pm25": _mask(range(19), 50.0), "o3": 50},
    "pm25_20h": {"pm25": _mask(range(20), 50.0), "o3": 50},
    "o3_13_windows": {"o3": _mask(range(18), 100.0)},
    "o3_14_windows": {"o3": _mask(range(19), 100.0)},
    "o3_13_windows_high": {"o3": _mask(range(18), 210.0)},
    "o3_above_800": {"o3": 900},
    "no_co": {"so2": 5, "no2": 20, "pm10": 40, "pm25": 20, "o3": 60},
    "negative": {"pm25": [-5.0] * 5 + [30.0] * 19},
}


@pytest.fixture(scope="module")
def hourly():
    rows = [r for name, values in CASES.items() for r in day_rows(name, D, **values)]
    # natural day: the row labelled D+1 00:00 belongs to D; the next label starts D+1
    rows += day_rows("edge", D, pm25=10.0)
    rows.append({**day_rows("edge", D + dt.timedelta(days=1), pm25=1000.0)[0]})
    return hourly_table(rows)


@pytest.fixture(scope="module")
def daily12(hourly):
    return run(air.daily(hourly, R12)).set_index(["station_id", "date"]).sort_index()


@pytest.fixture(scope="module")
def daily26(hourly):
    return run(air.daily(hourly, R26)).set_index(["station_id", "date"]).sort_index()


def _row(frame, station, day=D):
    return frame.loc[(station, dt.datetime.combine(day, dt.time()))]


def test_daily_columns_come_first_in_the_contract_order(daily12):
    got = run(air.daily(hourly_table(day_rows("x", D, pm25=1.0)), R12)).columns
    assert tuple(got[: 2 + len(air.DAILY_COLUMNS)]) == ("station_id", "date", *air.DAILY_COLUMNS)
    assert "rules" in got and "iaqi_pm25" in got and "over_standard" in got


def test_a_full_day_2012(daily12):
    row = _row(daily12, "full")
    assert (row.so2_24h, row.no2_24h, row.pm10_24h, row.pm25_24h) == (10, 40, 150, 75)
    assert row.co_24h == 2.2 and row.o3_8h_max == 100 and row.o3_1h_max == 100
    assert row.iaqi_co == 55  # exact arithmetic before the ceiling
    assert (row.iaqi_so2, row.iaqi_no2, row.iaqi_o3_1h, row.iaqi_o3_8h) == (10, 50, 32, 50)
    assert row.aqi == 100 and row.category == "良" and row.level == "二级"
    assert row.primary_pollutant == "PM10,PM2.5"  # ties are listed together
    assert nan_to_none(row.over_standard) is None and row.valid and row.complete
    assert row.rules == "2012"


def test_the_same_day_2026(daily26):
    row = _row(daily26, "full")
    assert (row.iaqi_pm10, row.iaqi_pm25) == (112, 114)  # PM breakpoints 120 / 60
    assert row.aqi == 114 and row.category == "轻度污染"
    assert row.primary_pollutant == "PM2.5"
    assert nan_to_none(row.iaqi_o3_1h) is None  # the 2026 daily report has no O3 1-hour
    assert nan_to_none(row.over_standard) is None  # term deleted in HJ 633-2026
    assert row.rules == "2026"


def test_24h_mean_needs_20_valid_hours(daily12):
    assert nan_to_none(_row(daily12, "pm25_19h").pm25_24h) is None
    assert _row(daily12, "pm25_19h").n_hours_pm25 == 19
    assert _row(daily12, "pm25_20h").pm25_24h == 50
    assert _row(daily12, "negative").n_hours_pm25 == 19  # negative values are invalid
    assert nan_to_none(_row(daily12, "negative").pm25_24h) is None


def test_natural_day_is_the_24_hours_ending_at_midnight(daily12):
    assert _row(daily12, "edge").pm25_24h == 10
    assert _row(daily12, "edge").n_hours_pm25 == 24
    nxt = _row(daily12, "edge", D + dt.timedelta(days=1))
    assert nxt.n_hours_pm25 == 1 and nan_to_none(nxt.pm25_24h) is None


def test_o3_daily_max_8h_validity(daily12, hourly):
    """Hours 0..17 valid give 13 valid windows (ending 08:00 … 20:00), hours 0..18 give 14."""
    assert _row(daily12, "o3_13_windows").n_o3_8h_windows == 13
    assert nan_to_none(_row(daily12, "o3_13_windows").o3_8h_max) is None
    assert _row(daily12, "o3_14_windows").n_o3_8h_windows == 14
    assert _row(daily12, "o3_14_windows").o3_8h_max == 100
    assert _row(daily12, "o3_13_windows_high").o3_8h_max == 210  # exceeds 160: still valid
    assert _row(daily12, "o3_13_windows_high").o3_1h_max == 210  # 18 h but above 200
    assert nan_to_none(_row(daily12, "o3_13_windows").o3_1h_max) is None
    loose = run(air.daily(hourly, R12, AirOptions(o3_8h_max_validity="any_window")))
    loose = loose.set_index("station_id")
    assert loose.loc["o3_13_windows"].o3_8h_max == 100
    strict = run(air.daily(hourly, R12, AirOptions(o3_8h_max_validity="all_windows")))
    assert nan_to_none(strict.set_index("station_id").loc["o3_14_windows"].o3_8h_max) is None


def test_o3_8h_above_800(daily12, daily26):
    assert _row(daily12, "o3_above_800").iaqi_o3_8h == 350  # 2012: the O3 1-hour IAQI (900)
    assert _row(daily26, "o3_above_800").iaqi_o3_8h == 300  # 2026: counted as 300


def test_missing_pollutant_2012_max_of_present_2026_na_unless_above_100(daily12, daily26):
    r12, r26 = _row(daily12, "no_co"), _row(daily26, "no_co")
    assert r12.aqi == 40 and r12.valid and not r12.complete
    assert nan_to_none(r26.aqi) is None and not r26.valid
    assert nan_to_none(r26.category) is None and r26.iaqi_pm10 == 40


def test_invalid_option_and_missing_column_are_bilingual_errors(hourly):
    with pytest.raises(EcocivError) as err:
        AirOptions(city_method="median")
    assert "city_method" in err.value.zh and "city_method" in err.value.en
    with pytest.raises(EcocivError) as err:
        air.daily(hourly.drop("co"), R12)
    assert "co" in err.value.en


# --- a pure-Python Decimal reference of the daily pipeline on random data ---------------------


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values) / len(values)).quantize(MICRO, rounding=ROUND_HALF_EVEN)


def _reference_day(hours: dict[str, list], rules, practice: str) -> dict:
    valid = {
        p: [to_decimal(v) if v is not None and v >= 0 else None for v in hours[p]] for p in hours
    }
    conc: dict[str, Decimal | None] = {}
    for p in MEAN_24H:
        vals = [v for v in valid[p] if v is not None]
        conc[f"{p}_24h"] = _mean(vals) if len(vals) >= 20 else None
    o3 = valid["o3"]
    windows = []
    for end in range(8, 25):
        vals = [v for v in o3[end - 8 : end] if v is not None]
        windows.append(_mean(vals) if len(vals) >= 6 else None)
    present = [w for w in windows if w is not None]
    top = max(present) if present else None
    conc["o3_8h_max"] = top if top is not None and (len(present) >= 14 or top > 160) else None
    o3_vals = [v for v in o3 if v is not None]
    top1 = max(o3_vals) if o3_vals else None
    conc["o3_1h_max"] = top1 if top1 is not None and (len(o3_vals) >= 20 or top1 > 200) else None
    exact = {k: v for k, v in conc.items() if k != "o3_1h_max"}
    decimals = rules.practices[practice].average_decimals
    if decimals:  # published practice: every average rounded by GB/T 8170 before its IAQI
        for k, v in exact.items():
            conc[k] = v if v is None else round_half_even(v, decimals[k.split("_")[0]])
    iaqis = report_iaqis("daily", conc, rules)
    value = aqi(iaqis, rules)
    labels = rules.reports["daily"].indicators
    primary = ",".join(labels[k].label for k in primary_pollutants(iaqis, rules)) or None
    cat = category(value, rules)
    return {
        "aqi": value,
        "iaqis": iaqis,
        "primary": primary,
        "category": cat and cat.name,
        "exact": exact,
    }


@pytest.mark.parametrize("practice", ["published", "standard_text"])
@pytest.mark.parametrize("rules", [R12, R26], ids=["2012", "2026"])
def test_daily_equals_the_decimal_reference_on_random_days(rules, practice):
    rng = random.Random(663)
    rows, expected = [], {}
    scale = {"so2": 300, "no2": 300, "pm10": 500, "pm25": 300, "co": 8, "o3": 400}
    for i in range(60):
        miss = rng.choice([0.0, 0.05, 0.2, 0.4])
        hours = {
            p: [
                None
                if rng.random() < miss
                else round(rng.uniform(0, scale[p]), rng.choice([0, 1, 3]))
                for _ in range(24)
            ]
            for p in scale
        }
        rows += day_rows(f"s{i}", D, **hours)
        expected[f"s{i}"] = _reference_day(hours, rules, practice)
    options = AirOptions(practice=practice)
    got = run(air.daily(hourly_table(rows), rules, options)).set_index("station_id")
    for station, want in expected.items():
        row = got.loc[station]
        assert nan_to_none(row.aqi) == want["aqi"], station
        for key, value in want["iaqis"].items():
            assert nan_to_none(row[f"iaqi_{key}"]) == value, (station, key)
        assert nan_to_none(row.primary_pollutant) == want["primary"], station
        assert nan_to_none(row.category) == want["category"], station
        for kind, value in want["exact"].items():
            mean = nan_to_none(row[f"{kind}_mean"])
            assert (mean is None) == (value is None), (station, kind)
            assert mean is None or to_decimal(float(mean)) == value, (station, kind)


# --- city level -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def city_input():
    rows = day_rows(
        "A", D, pm25=40.0, o3=[100.0] * 12 + [200.0] * 12, so2=10, no2=20, pm10=50, co=1
    )
    rows += day_rows(
        "B", D, pm25=_mask(range(20), 80.0), o3=[100.0] * 24, so2=20, no2=30, pm10=70, co=2
    )
    rows += day_rows("C", D, pm25=500.0, o3=100.0, so2=1, no2=1, pm10=1, co=0.1)
    stations = hourly_table(rows).select("station_id").distinct()
    meta = stations.mutate(
        region_code=(stations.station_id == "C").ifelse("330200", "330100"),
        type=(stations.station_id == "C").ifelse("背景点", "城市点"),
    )
    return hourly_table(rows), meta


def test_city_daily_default_method(city_input):
    hourly, meta = city_input
    got = run(air.city_daily(hourly, meta, R12)).set_index("region_code")
    city = got.loc["330100"]
    assert city.pm25_24h == 60  # mean of the station 24-hour means (40, 80)
    # O3 from the city hourly series: hours 0-11 mean 100, hours 12-23 mean 150
    assert city.o3_8h_max == 150 and city.o3_1h_max == 150
    assert city.n_stations == 2 and city.rules == "2012"
    assert city.aqi == max(city.iaqi_pm25, city.iaqi_o3_8h, city.iaqi_o3_1h, city.iaqi_pm10)
    assert list(got.reset_index().columns[:2]) == ["region_code", "date"]


def test_city_daily_alternative_methods(city_input):
    hourly, meta = city_input
    by_hour = run(air.city_daily(hourly, meta, R12, AirOptions(city_method="city_hourly")))
    # hours 0-19: (40+80)/2 = 60; hours 20-23: station A alone, 40 → mean 56.666667,
    # published as 57 (GB/T 8170)
    city = by_hour.set_index("region_code").loc["330100"]
    assert city.pm25_24h == 57 and city.pm25_24h_mean == pytest.approx(56.666667)
    by_day = run(air.city_daily(hourly, meta, R12, AirOptions(city_method="station_daily")))
    # station MDA8: A 200, B 100 → 150; station O3 1-hour max: A 200, B 100 → 150
    assert by_day.set_index("region_code").loc["330100"].o3_8h_max == 150
    only = run(air.city_daily(hourly, meta, R12, AirOptions(city_station_types=("城市点",))))
    assert set(only.region_code) == {"330100"}


# --- real-time report ------------------------------------------------------------------------


def test_hourly_2012_table4_pm_24h_moving_mean_and_so2_above_800():
    """HJ 633-2012 表4 read literally (the ``standard_text`` practice)."""
    rows = day_rows("A", D, pm25=[float(k) for k in range(24)], so2=[100.0] * 23 + [900.0], o3=100)
    rows += day_rows("A", D + dt.timedelta(days=1), pm25=100.0, so2=100.0, o3=100)
    options = AirOptions(practice="standard_text")
    got = run(air.hourly_aqi(hourly_table(rows), R12, options))
    got = got.sort_values("time").reset_index(drop=True)
    assert nan_to_none(got.pm25_24h_moving[18]) is None  # 19 hours so far
    assert got.pm25_24h_moving[19] == pytest.approx(9.5)  # hours 0..19, 20 valid
    assert got.pm25_24h_moving[23] == pytest.approx(11.5)
    # SO2 1-hour 900 > 800: the IAQI of the 24-hour moving mean (23×100+900)/24 = 133.333333,
    # against the 24-hour breakpoints: 50 + 50·83.333333/100 = 91.67 → 92
    assert got.so2_1h[23] == 900 and got.iaqi_so2[23] == 92
    assert got.o3_8h_moving[7] == 100 and nan_to_none(got.o3_8h_moving[4]) is None
    assert got.iaqi_pm25[23] == 17 and nan_to_none(got.iaqi_pm25_24h[23]) is None
    assert set(got.rules) == {"2012"}


def test_hourly_2026_indexes_pm_1h_against_daily_breakpoints():
    rows = day_rows("A", D, pm25=75.4, pm10=150.9, so2=900, no2=100.5, co=2.2, o3=100)
    got = run(air.hourly_aqi(hourly_table(rows), R26))
    row = got.iloc[0]
    assert row.pm25_1h == 75 and row.iaqi_pm25 == 114
    assert row.iaqi_so2 == 200 and row.iaqi_no2 == 50 and row.iaqi_co == 22
    assert nan_to_none(row.pm25_24h_moving) is None and row.aqi == 200
    assert row.primary_pollutant == "SO2"


def test_docs_name_every_output_column(hourly, city_input):
    """docs/monitoring-air.md lists every column the functions return (no drift)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "monitoring-air.md").read_text("utf-8")
    named = set(re.findall(r"`([a-z0-9_]+)`", doc))
    named |= {f"{stem}_{p}" for stem in ("days", "valid", "compliant") for p in air_pollutants()}
    named |= {f"n_hours_{p}" for p in air_pollutants()}
    _, meta = city_input
    for rules in (R12, R26):
        tables = [
            air.daily(hourly, rules),
            air.city_daily(hourly, meta, rules),
            air.hourly_aqi(hourly, rules),
            air.annual(air.daily(hourly, rules), rules),
        ]
        for table in tables:
            missing = set(table.columns) - named
            assert not missing, missing


def air_pollutants() -> tuple[str, ...]:
    return ("so2", "no2", "pm10", "pm25", "co", "o3")


def test_concentration_kinds_are_the_ones_the_pipelines_compute(city_input):
    assert set(CONCENTRATION_KINDS) == set(air.DAILY_CONCENTRATIONS) | set(
        air.HOURLY_CONCENTRATIONS
    )
    hourly, meta = city_input
    with pytest.raises(EcocivError) as err:
        air.city_daily(hourly, meta.drop("region_code"), R12)
    assert "region_code" in err.value.zh and "region_code" in err.value.en
