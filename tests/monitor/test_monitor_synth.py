"""Synthetic hourly data: layout, determinism, realistic shapes and gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from ecociv.monitor import synth
from ecociv.monitor.io import AIR_SCHEMA, canonical_air
from ecociv.monitor.synth import SynthSpec


@pytest.fixture(scope="module")
def year():
    return synth.generate(SynthSpec(stations=40, year=2023, seed=7)).to_pandas()


def test_layout_is_the_canonical_wide_table():
    table = synth.generate(SynthSpec(stations=2, year=2024, seed=1))
    assert table.schema == AIR_SCHEMA
    loaded = canonical_air(table)
    assert loaded.report.ok and loaded.table.num_rows == table.num_rows


def test_same_seed_same_data_other_seed_other_data():
    a = synth.generate(SynthSpec(stations=3, year=2022, seed=5))
    b = synth.generate(SynthSpec(stations=3, year=2022, seed=5))
    c = synth.generate(SynthSpec(stations=3, year=2022, seed=6))
    assert a.equals(b)
    assert not a.equals(c)


def test_hours_are_hour_ending_over_the_year(year):
    hours = synth.hours_of_year(2024)
    assert len(hours) == 8784  # leap year
    assert str(hours[0]) == "2024-01-01T01:00:00" and str(hours[-1]) == "2025-01-01T00:00:00"


def test_seasonal_and_daily_shapes(year):
    month = year.time.dt.month
    winter, summer = month.isin([12, 1, 2]), month.isin([6, 7, 8])
    assert year.pm25[winter].mean() > 1.6 * year.pm25[summer].mean()
    assert year.o3[summer].mean() > 1.6 * year.o3[winter].mean()
    hour = year.time.dt.hour
    o3_by_hour = year.o3[summer].groupby(hour[summer]).mean()
    assert 13 <= o3_by_hour.idxmax() <= 17
    assert o3_by_hour.idxmin() in range(0, 9)
    both = year.dropna(subset=["pm10", "pm25"])
    assert (both.pm10 >= both.pm25).mean() > 0.99


def test_pollutants_are_correlated_and_have_episodes(year):
    corr = year[["pm25", "pm10", "co", "no2"]].corr()
    assert corr.loc["pm25", "pm10"] > 0.8 and corr.loc["pm25", "co"] > 0.5
    meta = synth.station_metadata(SynthSpec(stations=40, year=2023, seed=7)).to_pandas()
    hours = year.merge(meta[["station_id", "region_code"]]).set_index("time")
    daily = hours.groupby(["region_code", pd.Grouper(freq="D")]).pm25.mean()
    peaks = daily.groupby(level=0).agg(["max", "median"])
    assert (peaks["max"] > 3 * peaks["median"]).all()  # regional winter episodes


def test_gaps_missing_hours_days_and_stations(year):
    per_station = year.groupby("station_id").size()
    assert (per_station < 8760).mean() > 0.8  # whole missing days are absent rows
    assert 0.005 < year.pm25.isna().mean() < 0.15
    longest = year.assign(m=year.pm25.isna()).groupby("station_id").m.sum().max()
    assert longest > 24 * 30  # one station in forty is off-line for a month or more


def test_values_are_rounded_like_published_data(year):
    pm25 = year.pm25.dropna().to_numpy()
    assert np.all(pm25 == np.round(pm25))
    co = year.co.dropna().to_numpy()
    assert np.allclose(co * 10, np.round(co * 10))


def test_write_parquet_in_chunks(tmp_path):
    path = tmp_path / "h.parquet"
    done = []
    rows = synth.write(SynthSpec(stations=150, year=2021, seed=2), path, progress=done.append)
    assert pq.read_metadata(path).num_rows == rows
    assert done == [100, 150]


def test_station_metadata():
    meta = synth.station_metadata(SynthSpec(stations=12, year=2024, seed=3))
    assert meta.column_names == ["station_id", "name", "region_code", "type"]
    assert set(meta.column("region_code").to_pylist()) <= set(synth.REGION_CODES)
