"""DuckDB and Spark give identical results on the same synthetic year (one implementation)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ecociv.monitor import air, backends, synth, water
from ecociv.monitor.air_options import AirOptions
from ecociv.monitor.rules import load_rules

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SPEC = synth.SynthSpec(stations=3, year=2023, seed=11)


@pytest.fixture(scope="module")
def engines():
    reason = backends.spark_available()
    if reason:
        pytest.skip(f"Spark cannot run here: {reason}")
    duck = backends.connect("duckdb")
    spark = backends.connect("spark")
    yield {"duckdb": duck, "spark": spark}
    backends.close(spark)
    backends.close(duck)


@pytest.fixture(scope="module")
def hourly():
    return synth.generate(SPEC)


def _frame(table) -> pd.DataFrame:
    frame = table.to_pandas()
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(
                lambda v: v.isoformat() if isinstance(v, dt.date) else v
            )
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _assert_same(left: pd.DataFrame, right: pd.DataFrame, what: str) -> None:
    assert list(left.columns) == list(right.columns), what
    assert len(left) == len(right), what
    for column in left.columns:
        a, b = left[column], right[column]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            a, b = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-12, atol=0)
        else:
            same = (a.isna() & b.isna()) | (a.astype(object) == b.astype(object))
        bad = np.flatnonzero(~np.asarray(same, bool))
        assert not len(bad), (
            f"{what}.{column}: rows {bad[:5].tolist()} {a[bad[:3]]} vs {b[bad[:3]]}"
        )


def _run(con, hourly, rules):
    table = backends.table(con, "hourly", hourly)
    daily = con.to_pyarrow(air.daily(table, rules))
    annual = air.annual(backends.table(con, "daily", daily), rules)
    return daily, con.to_pyarrow(annual)


@pytest.mark.parametrize("rules_id", ["2012", "2026"])
def test_daily_and_annual_are_identical(engines, hourly, rules_id):
    rules = load_rules(rules_id)
    duck_daily, duck_annual = _run(engines["duckdb"], hourly, rules)
    spark_daily, spark_annual = _run(engines["spark"], hourly, rules)
    assert 3 * 330 < duck_daily.num_rows <= 3 * 365  # whole missing days have no row
    assert duck_daily.column("aqi").null_count < duck_daily.num_rows // 4
    _assert_same(_frame(duck_daily), _frame(spark_daily), f"daily[{rules_id}]")
    _assert_same(_frame(duck_annual), _frame(spark_annual), f"annual[{rules_id}]")


@pytest.mark.parametrize(
    ("rules_id", "practice"),
    [("2012", "published"), ("2026", "published"), ("2012", "standard_text")],
)
def test_hourly_reports_are_identical(engines, hourly, rules_id, practice):
    """The real-time report: 1-hour IAQIs, the natural-day (or trailing) O3 8-hour window, the
    moving means beside the AQI, their GB/T 8170 rounding and exact ``_mean`` columns."""
    rules, options = load_rules(rules_id), AirOptions(practice=practice)
    one_month = hourly.filter(
        pa.compute.less(
            hourly.column("time"), pa.scalar(dt.datetime(2023, 2, 1), pa.timestamp("s"))
        )
    )
    frames = [
        _frame(
            con.to_pyarrow(air.hourly_aqi(backends.table(con, "hourly", one_month), rules, options))
        )
        for con in (engines["duckdb"], engines["spark"])
    ]
    assert frames[0]["o3_8h_moving"].notna().sum() > 1000
    _assert_same(*frames, f"hourly[{rules_id}, {practice}]")


def test_water_results_are_identical(engines):
    rows = []
    rng = np.random.default_rng(5)
    for section in range(8):
        water_type = "lake" if section % 3 == 0 else "river"
        for month in range(1, 13):
            for code, scale in (
                ("nh3n", 1.0),
                ("tp", 0.15),
                ("cod", 20.0),
                ("do", 6.0),
                ("tn", 1.0),
            ):
                value = round(float(rng.lognormal(np.log(scale), 0.5)), 3)
                rows.append(
                    ("990101", f"W{section}", water_type, dt.date(2023, month, 15), code, value)
                )
    frame = pd.DataFrame(
        rows, columns=["region_code", "section_id", "water_type", "date", "parameter", "value"]
    )
    samples = pa.Table.from_pandas(frame, preserve_index=False)
    results = {}
    for name, con in engines.items():
        result = water.evaluate(backends.table(con, "samples", samples))
        results[name] = [
            _frame(con.to_pyarrow(t)) for t in (result.parameters, result.sections, result.regions)
        ]
    for what, left, right in zip(
        ("parameters", "sections", "regions"), results["duckdb"], results["spark"], strict=True
    ):
        _assert_same(left, right, what)
