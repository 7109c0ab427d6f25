"""The networks' own files: layouts detected from their columns, conventions reported, and
``ecociv monitor check`` classifying every disagreement.  The files are written here, in the
documented column layouts (the real ones are not in ../shared)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecociv.cli import build_app
from ecociv.errors import InputError
from ecociv.monitor import backends
from ecociv.monitor.iaqi import iaqi, round_half_even, to_decimal
from ecociv.monitor.layouts import detect, read_air_any
from ecociv.monitor.published_check import check
from ecociv.monitor.rules import load_rules

R12 = load_rules("2012")
D = dt.date(2017, 1, 1)
STATIONS = ("1001A", "1002A", "1003A")
INPUTS = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "O3": "o3", "CO": "co"}


def _hours(seed: int, n: int = 30) -> dict[str, list[dict]]:
    """Hour-labelled values per station: hour k is D 00:00 + k hours (integers, CO 0.1)."""
    rng = random.Random(seed)
    out = {}
    for station in STATIONS:
        rows = []
        for k in range(n):
            row = {p: float(rng.randint(5, 180)) for p in ("pm25", "pm10", "so2", "no2", "o3")}
            row["co"] = rng.randint(3, 25) / 10
            row["time"] = dt.datetime.combine(D, dt.time()) + dt.timedelta(hours=k)
            rows.append(row)
        out[station] = rows
    return out


def _mean(values: list[float], decimals: int) -> float | None:
    return float(round_half_even(sum(map(to_decimal, values)) / len(values), decimals))


def _published(rows: list[dict], k: int) -> dict[str, float | None]:
    """What a network publishes at hour k, written out independently of the pipeline.  Before
    hour 23 its 24-hour means include hours the file does not hold (here: one more)."""
    row = rows[k]
    iaqis = [
        iaqi(p, "24h" if p in ("pm25", "pm10") else "1h", row[p], R12)
        for p in ("pm25", "pm10", "so2", "no2", "co", "o3")
        if row[p] is not None
    ]
    present = [v for v in iaqis if v is not None]  # SO2 > 800 has no 1-hour IAQI
    out: dict[str, float | None] = {"AQI": max(present) if present else 0}
    for label, p in (("PM2.5_24h", "pm25"), ("PM10_24h", "pm10"), ("CO_24h", "co")):
        window = [r[p] for r in rows[max(0, k - 23) : k + 1] if r[p] is not None]
        out[label] = _mean(window, 1 if p == "co" else 0) + (k < 23)
    # the natural day: hours 1 … 24 are day D, 25 … are D+1 (hour 0 closes the day before)
    day_start = max(1 if k < 25 else 25, k - 7)
    window = [r["o3"] for r in rows[day_start : k + 1] if r["o3"] is not None]
    out["O3_8h"] = _mean(window, 0) if window and k > 0 else None
    return out


def _write_national_long(path: Path, hours: dict[str, list[dict]], published: dict) -> None:
    """``date,hour,type,<station…>``: one file row per hour and type (china_sites layout)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["date", "hour", "type", *STATIONS])
        for k, stamp in enumerate(r["time"] for r in hours[STATIONS[0]]):
            types = [*INPUTS, "AQI", "PM2.5_24h", "PM10_24h", "CO_24h", "O3_8h", "O3_24h"]
            for kind in types:
                cells = []
                for s in STATIONS:
                    if kind in INPUTS:
                        value = hours[s][k][INPUTS[kind]]
                    else:
                        value = published[s][k].get(kind, 999)
                    cells.append("" if value is None else f"{value:g}")
                out.writerow([stamp.strftime("%Y%m%d"), stamp.hour, kind, *cells])


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    hours = _hours(8170)
    # station 1003A: SO2 1-hour 908 at hour 10, which the network indexed on the 24-hour table
    hours["1003A"][10]["so2"] = 908.0
    # station 1002A: nothing measured at hour 12; the network still published AQI 0
    for p in INPUTS.values():
        hours["1002A"][12][p] = None
    published = {s: [_published(hours[s], k) for k in range(30)] for s in STATIONS}
    published["1003A"][10]["AQI"] = iaqi("so2", "24h", 908, R12)  # 214
    published["1001A"][20]["AQI"] = 77  # a value nothing explains
    path = tmp_path_factory.mktemp("net") / "china_sites_20170101.csv"
    _write_national_long(path, hours, published)
    return path, hours


def test_layouts_are_detected_from_columns():
    assert detect(["date", "hour", "type", "1001A"]) == "national_long"
    assert detect(["station_code", "time_point", "pm2_5", "pm2_5_24h"]) == "realtime_feed"
    assert detect(["", "SubID", "time", "MAXAQI", "PM10Iaqi"]) == "city_feed"
    assert detect(["No", "year", "month", "day", "hour", "PM2.5", "station"]) == "uci"
    assert detect(["station_id", "time", "pm25"]) is None


def test_national_long_layout_is_read_with_its_conventions(national):
    path, hours = national
    data = read_air_any(path)
    report = data.loaded.report
    assert data.layout == "national_long" and report.layout == "national_long"
    assert report.conventions["co_unit"].startswith("mg/m³")
    assert "O3_24h" in report.conventions["not_recomputed"]
    table = data.loaded.table.to_pandas().set_index(["station_id", "time"])
    assert len(table) == 3 * 30
    first = hours["1002A"][5]
    assert table.loc[("1002A", first["time"])].co == first["co"]
    assert table.loc[("1003A", hours["1003A"][10]["time"])].so2 == 908
    items = set(data.published.column("item").to_pylist())
    assert items == {"aqi", "pm25_24h_moving", "pm10_24h_moving", "co_24h_moving", "o3_8h_moving"}


def test_check_reproduces_and_classifies_every_disagreement(national):
    path, _ = national
    with backends.session("duckdb") as con:
        result = check(con, read_air_any(path))
    summary = result.summary.set_index("item")
    aqi = result.disagreements[result.disagreements.item == "aqi"].set_index("station_id")
    # AQI: every hour agrees except the three planted cases
    assert summary.loc["aqi", "compared"] == 90 and summary.loc["aqi", "agree"] == 87
    assert aqi.loc["1003A", "class"] == "theirs" and "注(2)" in aqi.loc["1003A", "reason"]
    assert aqi.loc["1002A", "class"] == "theirs" and "without any" in aqi.loc["1002A", "reason"]
    assert aqi.loc["1001A", "class"] == "ours" and result.unexplained == 1
    # 24-hour moving means before hour 23 hold hours before the file: unreproducible
    pm = result.disagreements[result.disagreements.item == "pm25_24h_moving"]
    assert len(pm) == 3 * 23 and (pm["class"] == "unreproducible").all()
    assert pm.reason.str.contains("starts before the file").all()
    assert summary.loc["pm25_24h_moving", "agree"] == 3 * 7
    assert summary.loc["o3_8h_moving", "agree"] == summary.loc["o3_8h_moving", "compared"]
    assert result.conventions["o3_8h_window"].startswith("natural_day")


def test_check_command_prints_the_summary_and_writes_the_disagreements(national, tmp_path):
    path, _ = national
    out = tmp_path / "wrong.csv"
    run = CliRunner().invoke(build_app(), ["monitor", "check", str(path), "--out", str(out)])
    assert run.exit_code == 1, run.output  # one unexplained disagreement
    assert "national_long" in run.output and "aqi" in run.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["class"] for r in rows} == {"ours", "theirs", "unreproducible"}


def _feed_records(hours: dict[str, list[dict]], co_factor: float) -> list[dict]:
    records = []
    for station in STATIONS:
        for k, row in enumerate(hours[station]):
            pub = _published(hours[station], k)
            records.append(
                {
                    "station_code": station,
                    "position_name": f"站点{station}",
                    "time_point": row["time"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "aqi": pub["AQI"],
                    "pm2_5": row["pm25"],
                    "pm2_5_24h": pub["PM2.5_24h"],
                    "pm10": row["pm10"],
                    "so2": row["so2"],
                    "no2": row["no2"],
                    "co": row["co"] * co_factor,
                    "o3": row["o3"],
                    "o3_8h": pub["O3_8h"],
                    "o3_24h": 999,
                    "primary_pollutant": "",
                }
            )
    return records


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_realtime_feed_records(tmp_path, suffix):
    hours = _hours(1)
    records = _feed_records(hours, co_factor=1000)  # this feed writes CO in µg/m³
    path = tmp_path / f"feed{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    else:
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.DictWriter(f, fieldnames=list(records[0]))
            out.writeheader()
            out.writerows(records)
    data = read_air_any(path)
    assert data.layout == "realtime_feed"
    assert data.loaded.report.conventions["co_unit"].startswith("µg/m³")
    table = data.loaded.table.to_pandas()
    assert math.isclose(table.co.iloc[0], hours[table.station_id.iloc[0]][0]["co"])
    with backends.session("duckdb") as con:
        result = check(con, data)
    summary = result.summary.set_index("item")
    assert summary.loc["aqi", "agree"] == summary.loc["aqi", "compared"] == 90
    assert result.unexplained == 0


def test_city_feed_and_uci_layouts(tmp_path):
    city = tmp_path / "city.csv"
    city.write_text(
        ",SubID,time,MAXAQI,PM10Iaqi,PM10value,PM2_5Iaqi,PM2_5value,COIaqi,COvalue,NO2Iaqi,"
        "NO2value,SO2Iaqi,SO2value,O3_1Iaqi,O3_1value,O3_8Iaqi,O3_8value\n"
        "0,7,2020-12-11,249,165,280,249,199,16,1560,31,61,9,27,3,8,5,10\n",
        encoding="utf-8",
    )
    data = read_air_any(city)
    row = data.loaded.table.to_pylist()[0]
    assert data.layout == "city_feed" and row["time"] == dt.datetime(2020, 12, 11)
    assert row["co"] == 1.56 and row["pm25"] == 199
    uci = tmp_path / "PRSA_Data_X.csv"
    uci.write_text(
        '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","station"\n'
        '1,2014,1,1,0,9,9,3,17,300,89,-0.5,"X"\n2,2014,1,1,1,NA,4,3,16,1200,88,-0.7,"X"\n',
        encoding="utf-8",
    )
    data = read_air_any(uci)
    rows = data.loaded.table.to_pylist()
    assert data.layout == "uci" and data.published.num_rows == 0
    assert rows[1]["time"] == dt.datetime(2014, 1, 1, 1) and rows[1]["pm25"] is None
    assert rows[0]["co"] == 0.3 and "hour-ending" in data.loaded.report.conventions["time"]


def test_a_folder_of_mixed_layouts_is_a_bilingual_error(tmp_path, national):
    path, _ = national
    (tmp_path / "a.csv").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.csv").write_text("SubID,time,MAXAQI\n1,2020-12-11,5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_air_any(tmp_path)
    assert "版式" in err.value.zh and "layouts" in err.value.en
