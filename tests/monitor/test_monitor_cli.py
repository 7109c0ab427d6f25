"""``ecociv monitor …`` end to end on small synthetic and hand-written inputs (DuckDB)."""

from __future__ import annotations

import json

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ecociv.cli import build_app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(build_app(), ["monitor", *map(str, args)])


@pytest.fixture(scope="module")
def hourly(tmp_path_factory):
    folder = tmp_path_factory.mktemp("monitor")
    data, meta = folder / "h.parquet", folder / "stations.csv"
    result = invoke(
        "synth", "--stations", 2, "--year", 2024, "--seed", 3, "--out", data, "--meta", meta
    )
    assert result.exit_code == 0, result.output
    return data, meta


def test_synth_writes_the_wide_layout(hourly):
    data, meta = hourly
    table = pq.read_table(data)
    assert table.column_names == ["station_id", "time", "so2", "no2", "pm10", "pm25", "co", "o3"]
    assert pacsv.read_csv(meta).column_names == ["station_id", "name", "region_code", "type"]


@pytest.mark.slow
def test_air_daily_station_level(hourly, tmp_path):
    data, _ = hourly
    out = tmp_path / "daily.csv"
    result = invoke("air", data, "--period", "day", "--rules", "2012", "--out", out)
    assert result.exit_code == 0, result.output
    daily = pacsv.read_csv(out)
    expected = [
        "station_id",
        "date",
        "so2_24h",
        "no2_24h",
        "pm10_24h",
        "pm25_24h",
        "co_24h",
        "o3_8h_max",
        "o3_1h_max",
        "aqi",
        "category",
        "primary_pollutant",
        "valid",
    ]
    assert daily.column_names[: len(expected)] == expected
    assert set(daily.column("rules").to_pylist()) == {2012}
    assert 700 <= daily.num_rows <= 734
    assert "2012" in result.output


@pytest.mark.slow
def test_air_city_year_with_observations(hourly, tmp_path):
    data, meta = hourly
    out, obs = tmp_path / "year.parquet", tmp_path / "obs.json"
    args = ("air", data, "--stations", meta, "--level", "city", "--period", "year")
    result = invoke(*args, "--out", out, "--observations", obs)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.schema.metadata[b"ecociv.rules"] == b"2012"
    assert "good_day_ratio" in table.column_names
    items = json.loads(obs.read_text(encoding="utf-8"))
    codes = {i["indicator_code"] for i in items}
    assert {"air.good_days_ratio", "air.pm25_annual_mean", "air.o3_8h_p90"} <= codes
    assert all(i["year"] == 2024 for i in items)


def test_city_level_needs_station_metadata(hourly, tmp_path):
    data, _ = hourly
    result = invoke("air", data, "--level", "city", "--out", tmp_path / "x.csv")
    assert result.exit_code != 0
    assert "stations" in str(result.exception) or "站点信息" in result.output


def test_validate_prints_the_report_and_fails_on_problems(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "站点,时间,PM2.5\nA,2024-01-01 01:00,-3\nA,2024-01-01 01:30,4\n", encoding="utf-8"
    )
    result = invoke("validate", bad)
    assert result.exit_code == 1
    assert "负值" in result.output and "时间无法解析" in result.output
    result = invoke("validate", bad, "--json")
    report = json.loads(result.output)
    assert {i["code"] for i in report["issues"]} == {"negative", "bad_timestamp"}


def test_water_sections_regions_and_observations(tmp_path):
    samples = tmp_path / "water.csv"
    samples.write_text(
        "断面,水体类型,采样日期,区划代码,氨氮,总磷,化学需氧量\n"
        "A,河流,2024-01-10,990101,0.4,0.05,12\n"
        "A,河流,2024-07-10,990101,0.6,0.15,14\n"
        "B,湖库,2024-03-10,990101,0.3,0.08,18\n"
        "C,河流,2024-03-10,990101,2.5,0.5,45\n",
        encoding="utf-8",
    )
    out, obs = tmp_path / "sections.csv", tmp_path / "obs.json"
    result = invoke("water", samples, "--out", out, "--observations", obs)
    assert result.exit_code == 0, result.output
    rows = {r["section_id"]: r for r in pacsv.read_csv(out).to_pylist()}
    assert rows["A"]["class_label"] == "Ⅱ"  # NH3-N 0.5, TP 0.1, COD 13 → Ⅱ
    assert rows["B"]["class_label"] == "Ⅳ"  # lake TP 0.08 → Ⅳ
    assert rows["C"]["class_label"] == "劣Ⅴ"
    items = {i["indicator_code"]: i for i in json.loads(obs.read_text(encoding="utf-8"))}
    assert items["water.class3_share"]["value"] == pytest.approx(100 / 3)
    assert items["water.worse_than_v_share"]["value"] == pytest.approx(100 / 3)
    region = tmp_path / "region.parquet"
    assert invoke("water", samples, "--level", "region", "--out", region).exit_code == 0
    assert pq.read_table(region).column("grade_method").to_pylist() == ["mean_concentration"]


def test_unsupported_output_is_a_clear_error(tmp_path):
    result = invoke("synth", "--stations", 1, "--out", tmp_path / "x.xlsx")
    assert result.exit_code != 0
    assert ".parquet" in str(result.exception)


@pytest.mark.slow
def test_auto_rules_switch_on_2026_03_01(tmp_path):
    data, out = tmp_path / "h2026.parquet", tmp_path / "d.parquet"
    assert (
        invoke("synth", "--stations", 1, "--year", 2026, "--seed", 2, "--out", data).exit_code == 0
    )
    result = invoke("air", data, "--period", "day", "--out", out)
    assert result.exit_code == 0, result.output
    daily = pq.read_table(out).to_pandas()
    by_rules = daily.groupby("rules").date.agg(["min", "max"]).astype(str)
    assert by_rules.loc["2012", "max"] == "2026-02-28"
    assert by_rules.loc["2026", "min"] == "2026-03-01"
    assert pq.read_table(out).schema.metadata[b"ecociv.rules"] == b"2012,2026"
