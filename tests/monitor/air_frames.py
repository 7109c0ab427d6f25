"""Helpers for the air tests: hourly frames written by hand and a DuckDB runner."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co", "o3")


def day_rows(station: str, day: dt.date, **values) -> list[dict]:
    """24 hour-ending rows of *day* (labels 01:00 … next day 00:00).  Each pollutant value is
    a number (all hours), a list of 24 (``None`` = missing) or absent (all missing)."""
    rows = []
    start = dt.datetime.combine(day, dt.time())
    for k in range(24):
        row = {"station_id": station, "time": start + dt.timedelta(hours=k + 1)}
        for p in POLLUTANTS:
            v = values.get(p)
            row[p] = v[k] if isinstance(v, list) else v
        rows.append(row)
    return rows


def hourly_table(rows: list[dict]) -> ibis.Table:
    frame = pd.DataFrame(rows, columns=["station_id", "time", *POLLUTANTS])
    for p in POLLUTANTS:
        frame[p] = frame[p].astype("float64")
    frame["time"] = pd.to_datetime(frame["time"])
    return ibis.memtable(frame)


def run(expr: ibis.Table) -> pd.DataFrame:
    return ibis.duckdb.connect().execute(expr)


def nan_to_none(value):
    return None if value is None or pd.isna(value) else value


def load_hours(con, frame) -> None:
    """*frame* (hourly rows, pollutants as float64) as the DuckDB table ``hours`` of *con*."""
    for p in POLLUTANTS:
        frame[p] = frame[p].astype("float64")
    con.con.register("hours_frame", frame)
    con.con.execute("CREATE OR REPLACE TABLE hours AS SELECT * FROM hours_frame")
    con.con.unregister("hours_frame")
