"""Monitoring inputs that once ended in a traceback or were classed silently (issue 18 #8).

Repeated columns, empty and absurd timestamps (year 0000, nanosecond counts, sub-second
instants) and non-finite or absurd numbers (``inf``, ``1e308``) are reported in the
validation report and excluded — never classed — and ``monitor air``/``water``/``validate``
end without a traceback.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ecociv.cli import build_app
from ecociv.errors import InputError
from ecociv.monitor.io import canonical_air, read_air, read_water
from ecociv.monitor.io_water import canonical_water

runner = CliRunner()

AIR_HEAD = "station_id,time,pm25,pm10"


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _issues(report) -> dict[tuple[str, str | None], list[int]]:
    return {(i.code, i.column): i.rows for i in report.issues}


def test_a_repeated_value_column_is_reported_and_not_used(tmp_path):
    path = _write(
        tmp_path, "dup.csv", "station_id,time,pm25,pm25,pm10\nA,2024-01-01 01:00,12,30,40\n"
    )
    loaded = read_air(path)
    assert _issues(loaded.report)[("duplicate_column", None)] == []
    assert loaded.report.issues[0].examples == ["pm25"]
    assert loaded.table.column("pm25").to_pylist() == [None]
    assert loaded.table.column("pm10").to_pylist() == [40.0]
    assert not loaded.report.ok


def test_a_repeated_key_column_is_a_one_line_error_naming_it(tmp_path):
    path = _write(tmp_path, "dup.csv", "station_id,time,time,pm25\nA,2024-01-01 01:00,x,12\n")
    with pytest.raises(InputError) as raised:
        read_air(path)
    assert "time" in raised.value.en and "repeated columns time" in raised.value.en


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "0000-01-01 01:00",
        "0001-01-01 01:00",
        "9999-12-31 23:00",
        "1704067200000000000",
        "2024-01-01 01:30",
    ],
)
def test_an_absurd_timestamp_is_reported_and_the_row_left_out(tmp_path, stamp):
    text = f"{AIR_HEAD}\nA,2024-01-01 01:00,12,30\nA,{stamp},13,31\n"
    loaded = read_air(_write(tmp_path, "t.csv", text))
    assert _issues(loaded.report)[("bad_timestamp", "time")] == [2]
    assert loaded.table.num_rows == 1


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_timestamp_columns_out_of_range_or_off_the_second(unit):
    per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    good = 1704067200 * per_second  # 2024-01-01 00:00 UTC
    values = [good, None, good + 3600 * per_second + (1 if unit != "s" else 1800)]
    values.append(-2_000_000_000 * per_second if unit != "ns" else -(2**62))  # before 1900
    raw = pa.table(
        {
            "station_id": ["A"] * 4,
            "time": pa.array(values, pa.timestamp(unit)),
            "pm25": [1.0, 2.0, 3.0, 4.0],
        }
    )
    loaded = canonical_air(raw)
    assert _issues(loaded.report)[("bad_timestamp", "time")] == [2, 3, 4]
    assert loaded.table.column("pm25").to_pylist() == [1.0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("inf", "non_finite"),
        ("-inf", "non_finite"),
        ("1e308", "implausible"),
        ("-1e308", "negative"),
    ],
)
def test_non_finite_and_absurd_air_values_are_nulled_and_reported(tmp_path, text, code):
    loaded = read_air(_write(tmp_path, "v.csv", f"{AIR_HEAD}\nA,2024-01-01 01:00,{text},30\n"))
    assert _issues(loaded.report)[(code, "pm25")] == [1]
    assert loaded.table.column("pm25").to_pylist() == [None]
    assert loaded.table.column("pm10").to_pylist() == [30.0]


WATER_HEAD = "section_id,water_type,date,parameter,value"


@pytest.mark.parametrize(
    ("value", "code"), [("inf", "non_finite"), ("1e308", "implausible"), ("200000", "implausible")]
)
def test_absurd_water_values_are_never_classed(tmp_path, value, code):
    text = f"{WATER_HEAD}\nS1,河流,2024-01-05,cod,{value}\nS1,河流,2024-02-05,cod,12\n"
    loaded = read_water(_write(tmp_path, "w.csv", text))
    assert _issues(loaded.report)[(code, "value")] == [1]
    assert loaded.table.column("value").to_pylist() == [12.0]


def test_the_plausible_water_maximum_follows_the_parameter_unit():
    raw = pa.table(
        {
            "section_id": ["S1"] * 3,
            "water_type": ["river"] * 3,
            "date": ["2024-01-05"] * 3,
            "ph": [7.2, 15.0, 6.5],  # 无量纲: above 14 is not a pH
        }
    )
    loaded = canonical_water(raw)
    assert _issues(loaded.report)[("implausible", "ph")] == [2]
    assert loaded.table.column("value").to_pylist() == [7.2, 6.5]


@pytest.mark.parametrize("day", ["0000-01-05", "1899-12-31", "2101-01-01", ""])
def test_water_dates_outside_the_window_are_left_out(tmp_path, day):
    text = f"{WATER_HEAD}\nS1,河流,{day},cod,12\nS1,河流,2024-02-05,cod,13\n"
    loaded = read_water(_write(tmp_path, "w.csv", text))
    assert _issues(loaded.report)[("bad_date", "date")] == [1]
    assert loaded.table.column("value").to_pylist() == [13.0]


def test_water_date_columns_from_parquet_are_checked_too(tmp_path):
    raw = pa.table(
        {
            "section_id": ["S1", "S1"],
            "water_type": ["湖库", "湖库"],
            "date": pa.array([-719162, 19723], pa.date32()),  # 0001-01-01, 2024-01-01
            "parameter": ["cod", "cod"],
            "value": [12.0, 13.0],
        }
    )
    path = tmp_path / "w.parquet"
    pq.write_table(raw, path)
    loaded = read_water(path)
    assert _issues(loaded.report)[("bad_date", "date")] == [1]
    assert loaded.table.column("value").to_pylist() == [13.0]


def test_parquet_with_repeated_names_and_nested_columns_is_read_and_reported(tmp_path):
    raw = pa.table(
        [
            pa.array(["A"]),
            pa.array(["2024-01-01 01:00"]),
            pa.array([[1, 2]]),
            pa.array([3.0]),
            pa.array([4.0]),
        ],
        names=["station_id", "time", "pm25", "pm10", "pm10"],
    )
    path = tmp_path / "odd.parquet"
    pq.write_table(raw, path)
    loaded = read_air(path)
    issues = _issues(loaded.report)
    assert ("duplicate_column", None) in issues
    assert issues[("non_numeric", "pm25")] == [1]


HOSTILE_AIR = f"{AIR_HEAD}\nA,2024-01-01 01:00,12,30\nA,,5,6\nA,0000-01-01 01:00,3,4\nA,2024-01-01 02:00,inf,1e308\n"


@pytest.mark.parametrize("command", ["validate", "air"])
def test_the_commands_end_without_a_traceback(tmp_path, command):
    data = _write(tmp_path, "air.csv", HOSTILE_AIR)
    args = ["monitor", command, str(data)]
    if command == "air":
        args += ["--out", str(tmp_path / "out.csv"), "--period", "hour"]
    result = runner.invoke(build_app(), args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == (1 if command == "validate" else 0), result.output
    if command == "air":
        out = pacsv.read_csv(tmp_path / "out.csv")
        assert out.num_rows == 2  # the two usable hours, the inf and 1e308 values null


def test_water_command_does_not_class_infinite_values(tmp_path):
    data = _write(
        tmp_path, "w.csv", f"{WATER_HEAD}\nS1,河流,2024-01-05,cod,inf\nS1,河流,2024-02-05,cod,12\n"
    )
    out = tmp_path / "classes.csv"
    result = runner.invoke(build_app(), ["monitor", "water", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    classes = pacsv.read_csv(out).to_pylist()
    assert [row["class_label"] for row in classes] == ["Ⅰ"]  # cod 12 mg/L alone; inf never classed
