"""Reading monitoring inputs: layouts, column spellings, units, and the validation report."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecociv.errors import InputError
from ecociv.monitor import io, io_values
from ecociv.monitor.io import canonical_air, canonical_stations, canonical_water


def _issue(report, code, column=None):
    found = [i for i in report.issues if i.code == code and (column is None or i.column == column)]
    assert found, f"no {code} issue in {report.issues}"
    return found[0]


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("PM2.5", "pm25"),
        ("pm2_5", "pm25"),
        ("PM₂.₅", "pm25"),
        ("PM2.5(μg/m³)", "pm25"),
        ("细颗粒物", "pm25"),
        ("SO₂", "so2"),
        ("O3", "o3"),
        ("监测时间", "time"),
        ("站点编码", "station_id"),
    ],
)
def test_column_spellings(spelling, canonical):
    mapped, unknown = io_values.map_columns([spelling], "air")
    assert mapped == {spelling: canonical} and unknown == []


def test_wide_input_is_cleaned_and_every_problem_reported():
    raw = pa.table(
        {
            "站点编码": ["A", "A", "A", "B", "", "B", "B"],
            "时间": [
                "2024-01-01 01:00",
                "2024/1/1 2:00",
                "2024-01-01 01:00",
                "2024-01-01 24:00",
                "2024-01-01 03:00",
                "2024-01-01 01:30",
                "not a time",
            ],
            "PM₂.₅": ["35", "-5", "36", "abc", "1", "2", "3"],
            "CO(μg/m³)": [1200, 900, None, 800, 1, 2, 3],
            "备注": ["x"] * 7,
        }
    )
    loaded = canonical_air(raw, source="t.csv")
    out = loaded.table.to_pylist()
    assert loaded.table.schema == io.AIR_SCHEMA
    assert [(r["station_id"], r["time"]) for r in out] == [
        ("A", dt.datetime(2024, 1, 1, 1)),
        ("A", dt.datetime(2024, 1, 1, 2)),
        ("B", dt.datetime(2024, 1, 2, 0)),  # "24:00" is the next day's 00:00
    ]
    assert out[0]["pm25"] == 35.0 and out[0]["co"] == pytest.approx(1.2)  # µg/m³ → mg/m³
    assert out[1]["pm25"] is None  # negative
    report = loaded.report
    assert report.rows_read == 7 and report.rows_out == 3 and not report.ok
    assert _issue(report, "unknown_column").examples == ["备注"]
    assert _issue(report, "missing_key").rows == [5]
    bad_time = _issue(report, "bad_timestamp")
    assert bad_time.rows == [6, 7] and bad_time.examples == ["2024-01-01 01:30", "not a time"]
    assert _issue(report, "non_numeric", "pm25").rows == [4]
    assert _issue(report, "negative", "pm25").rows == [2]
    assert _issue(report, "duplicate").rows == [3]
    assert _issue(report, "duplicate_conflict").count == 1
    assert report.unit_factors == {"CO(μg/m³)": 0.001}


def test_duplicate_rows_fill_each_others_gaps():
    raw = pa.table(
        {
            "station_id": ["A", "A"],
            "time": ["2024-03-01 05:00", "2024-03-01 05:00"],
            "pm25": [None, 40.0],
            "so2": [7.0, None],
        }
    )
    loaded = canonical_air(raw)
    row = loaded.table.to_pylist()[0]
    assert loaded.table.num_rows == 1 and row["pm25"] == 40.0 and row["so2"] == 7.0
    assert loaded.report.count("duplicate_conflict") == 0


def test_implausible_values_become_null():
    raw = pa.table(
        {
            "station_id": ["A", "A"],
            "time": ["2024-01-01 01:00", "2024-01-01 02:00"],
            "o3": [250.0, 99999.0],
        }
    )
    loaded = canonical_air(raw)
    assert loaded.table.column("o3").to_pylist() == [250.0, None]
    assert _issue(loaded.report, "implausible", "o3").examples == ["99999.0"]


def test_long_layout_with_units_pivots_to_wide():
    raw = pa.table(
        {
            "station": ["A"] * 5,
            "time": ["2024-01-01 01:00"] * 4 + ["2024-01-01 02:00"],
            "pollutant": ["PM2.5", "CO", "benzene", "O3", "NO2"],
            "value": [10.0, 1200.0, 3.0, 80.0, 30.0],
            "unit": ["μg/m3", "μg/m³", "μg/m3", "furlongs", None],
        }
    )
    loaded = canonical_air(raw)
    rows = loaded.table.to_pylist()
    assert loaded.report.layout == "long"
    assert rows[0]["pm25"] == 10.0 and rows[0]["co"] == pytest.approx(1.2)
    assert rows[0]["o3"] is None  # unknown unit
    assert rows[1]["no2"] == 30.0  # no unit: canonical unit assumed
    assert _issue(loaded.report, "unknown_parameter").examples == ["benzene"]
    assert _issue(loaded.report, "unknown_unit").rows == [4]


def test_timezone_aware_timestamps_become_local_time():
    stamps = pa.array([dt.datetime(2024, 1, 1, 0, tzinfo=dt.UTC)], pa.timestamp("s", tz="UTC"))
    loaded = canonical_air(pa.table({"station_id": ["A"], "time": stamps, "pm10": [50.0]}))
    assert loaded.table.column("time").to_pylist() == [dt.datetime(2024, 1, 1, 8)]


def test_missing_required_column_is_a_bilingual_error():
    with pytest.raises(InputError) as err:
        canonical_air(pa.table({"station_id": ["A"], "pm25": [1.0]}), source="x.csv")
    assert "time" in err.value.zh and "x.csv" in err.value.message()


def test_csv_in_gb18030_and_parquet_files(tmp_path):
    text = "站点编码,监测时间,PM2.5,臭氧\nA,2024-05-01 14:00,12,180\nA,2024-05-01 15:00,NA,190\n"
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    loaded = io.read_air(path)
    assert loaded.table.column("o3").to_pylist() == [180.0, 190.0]
    assert loaded.table.column("pm25").to_pylist() == [12.0, None]
    assert loaded.report.ok
    parquet = tmp_path / "h.parquet"
    pq.write_table(loaded.table, parquet)
    assert io.read_air(parquet).table.equals(loaded.table)


def test_unsupported_and_missing_files(tmp_path):
    with pytest.raises(InputError):
        io.read_air(tmp_path / "nope.csv")
    odd = tmp_path / "data.xls"
    odd.write_text("x")
    with pytest.raises(InputError):
        io.read_air(odd)


def test_station_metadata_spellings_and_duplicates():
    raw = pa.table(
        {
            "站点编码": ["S1", "S2", "S1", None],
            "站点名称": ["甲", "乙", "丙", "丁"],
            "行政区划代码": ["990101", "990101", "990102", "990103"],
            "点位类型": ["城市点"] * 4,
        }
    )
    loaded = canonical_stations(raw)
    assert loaded.table.column("station_id").to_pylist() == ["S1", "S2"]
    assert loaded.table.column("name").to_pylist() == ["甲", "乙"]
    assert _issue(loaded.report, "duplicate").rows == [3]
    assert _issue(loaded.report, "missing_key").rows == [4]


def test_water_long_and_wide():
    long = pa.table(
        {
            "断面名称": ["X", "X", "Y", "Y", "Z"],
            "水体类型": ["河流", "河流", "湖库", "湖库", "海洋"],
            "采样日期": ["2024-03-05", "2024-03-05", "2024/3/6", "bad", "2024-03-05"],
            "监测项目": ["氨氮", "总磷", "TN", "pH值", "氨氮"],
            "监测值": [0.8, 50.0, 1.1, 7.2, 0.1],
            "单位": ["mg/L", "μg/L", "mg/L", "无量纲", "mg/L"],
        }
    )
    loaded = canonical_water(long)
    rows = loaded.table.to_pylist()
    assert [(r["section_id"], r["parameter"], r["value"]) for r in rows] == [
        ("X", "nh3n", 0.8),
        ("X", "tp", pytest.approx(0.05)),
        ("Y", "tn", 1.1),
    ]
    assert rows[2]["water_type"] == "lake" and rows[2]["date"] == dt.date(2024, 3, 6)
    assert _issue(loaded.report, "bad_date").rows == [4]
    assert _issue(loaded.report, "bad_water_type").examples == ["海洋"]
    wide = pa.table(
        {
            "section": ["X"],
            "type": ["river"],
            "date": ["2024-01-02"],
            "COD": [18.0],
            "溶解氧": [-1.0],
        }
    )
    loaded = canonical_water(wide)
    assert loaded.table.to_pylist()[0]["parameter"] == "cod"
    assert loaded.table.num_rows == 1 and _issue(loaded.report, "negative").column == "do"
