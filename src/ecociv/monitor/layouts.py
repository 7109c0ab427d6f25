"""The monitoring networks' own files (监测网络发布文件): detect the layout, read the hourly
values into the canonical table and keep the values the network published beside them.

Layouts are data (``data/network_layouts.yaml``): the national long tables
(``china_sites_YYYYMMDD.csv`` / ``china_cities_YYYYMMDD.csv``: ``date, hour, type, <station or
city columns>``), the real-time feed's per-station records (``station_code, time_point, pm2_5,
pm2_5_24h, o3_8h …``, CSV or a JSON list), a city feed (``SubID, time, MAXAQI, <P>Iaqi,
<P>value``) and the UCI Beijing layout (``year, month, day, hour, …, station``).  A layout is
recognised by its columns, never by the file name; a file that matches none is read by
:func:`ecociv.monitor.io.read_air` as before.  The CO unit is detected from the values (µg/m³
when the median positive value is above ``co_unit_threshold``).  The validation report names
the layout and every convention chosen (``report.conventions``).

The reshaped table goes through :func:`ecociv.monitor.io.canonical_air`, so its checks
(non-numeric, negative, implausible values, duplicates) apply unchanged; row numbers in its
issues count the station-hours after reshaping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from ecociv.errors import InputError
from ecociv.monitor import io
from ecociv.monitor.io_values import Loaded, normalise_name, numbers

PUBLISHED_SCHEMA = pa.schema(
    [
        ("station_id", pa.string()),
        ("time", pa.timestamp("s")),
        ("item", pa.string()),
        ("value", pa.float64()),
    ]
)
_FILE_TYPES = (".csv", ".txt", ".parquet", ".json")


@dataclass(frozen=True)
class NetworkData:
    """Canonical hourly values with their report, and the values the network published
    (``station_id, time, item, value``; items are ecociv's hourly column names, CO in mg/m³)."""

    loaded: Loaded
    published: pa.Table
    layout: str | None


@cache
def layouts() -> dict:
    """The layout vocabulary (``data/network_layouts.yaml``)."""
    text = resources.files("ecociv.monitor").joinpath("data", "network_layouts.yaml")
    return yaml.safe_load(text.read_text(encoding="utf-8"))


def detect(columns: list[str]) -> str | None:
    """The layout whose signature columns are all present (normalised names), else ``None``."""
    names = {normalise_name(c) for c in columns}
    for name, spec in layouts()["layouts"].items():
        if {normalise_name(c) for c in spec["signature"]} <= names:
            return name
    return None


def read_air_any(path: str | Path) -> NetworkData:
    """Hourly air data from a file or a directory of snapshots, in a network layout (detected)
    or in ecociv's own wide/long layouts."""
    path = Path(path)
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in _FILE_TYPES)
        if path.is_dir()
        else [path]
    )
    if not files:
        raise InputError("目录中没有数据文件", "the directory holds no data files", where=str(path))
    tables = {f: _read(f) for f in files}
    found = {f: detect(t.column_names) for f, t in tables.items()}
    kinds = {k for k in found.values() if k is not None}
    if len(kinds) > 1:
        raise InputError(
            f"目录中的文件版式不一致：{', '.join(sorted(kinds))}",
            f"the files have different layouts: {', '.join(sorted(kinds))}",
            where=str(path),
        )
    if not kinds:
        if len(files) > 1:
            raise InputError(
                "目录中没有可识别的监测网络文件", "no network layout recognised", where=str(path)
            )
        return NetworkData(io.canonical_air(tables[files[0]], source=str(path)), _empty(), None)
    layout = kinds.pop()
    used = [f for f in files if found[f] == layout]
    skipped = [f.name for f in files if found[f] is None]
    frame = pd.concat([_frame(tables[f]) for f in used], ignore_index=True)
    return _network(frame, layout, str(path), used, skipped)


def _read(path: Path) -> pa.Table:
    if path.suffix.lower() != ".json":
        return io.read_table(path)
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"JSON 无法解析：{exc}", f"cannot parse the JSON: {exc}", where=str(path)
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(
            "JSON 须为记录列表（每个站点小时一个对象）",
            "the JSON must be a list of records (one object per station-hour)",
            where=str(path),
        )
    keys = list(dict.fromkeys(k for r in records for k in r))
    return pa.table({k: pa.array([_text(r.get(k)) for r in records], pa.string()) for k in keys})


def _text(value) -> str | None:
    return None if value is None else str(value)


def _frame(table: pa.Table) -> pd.DataFrame:
    """All columns as text (values are parsed and checked by canonical_air)."""
    return pd.DataFrame(
        {c: table.column(c).cast(pa.string()).to_pandas() for c in table.column_names}
    )


def _column(frame: pd.DataFrame, wanted: str) -> str | None:
    key = normalise_name(wanted)
    return next((c for c in frame.columns if normalise_name(c) == key), None)


def _network(
    frame: pd.DataFrame, layout: str, source: str, used: list[Path], skipped: list[str]
) -> NetworkData:
    spec = layouts()["layouts"][layout]
    rows_read = len(frame)
    frame = frame.drop_duplicates()
    reshape = {"national_long": _national_long}.get(layout, _records)
    hourly = reshape(frame, spec, layout)
    revised = 0
    if len(used) > 1:  # snapshots: a later one may revise an hour; keep the last
        repeated = hourly.duplicated(["station_id", "time"], keep="last")
        revised, hourly = int(repeated.sum()), hourly[~repeated]
    co_in_ug, co_note = _co_unit(hourly.get("co"))
    inputs = {"station_id": hourly["station_id"], "time": hourly["time"]}
    for name in spec["inputs"].values():
        column = hourly.get(name)
        inputs[f"{name}(µg/m³)" if name == "co" and co_in_ug else name] = column
    raw = pa.table({k: _arrow(v, k) for k, v in inputs.items() if v is not None})
    loaded = io.canonical_air(raw, source=source)
    published = _published(hourly, spec, co_in_ug)
    report = loaded.report
    report.layout = layout
    report.conventions = {
        "layout": spec["title"],
        "time": spec["time"],
        "ids": spec["ids"],
        "units": "µg/m³ for SO2, NO2, O3, PM10, PM2.5 (the layout's unit)",
        "co_unit": co_note,
        "files": (
            f"{len(used)} file(s), {rows_read} rows, {rows_read - len(frame)} repeated rows "
            "(identical snapshots) dropped"
            + (
                f"; {revised} station-hours revised by a later snapshot: the last one kept"
                if revised
                else ""
            )
            + (f"; not hourly data, skipped: {', '.join(skipped)}" if skipped else "")
        ),
        "published": (", ".join(sorted(set(published.column("item").to_pylist()))) or "none"),
    }
    if spec["not_recomputed"]:
        report.conventions["not_recomputed"] = "; ".join(
            f"{k} ({v})" for k, v in spec["not_recomputed"].items()
        )
    return NetworkData(loaded, published, layout)


def _arrow(values: pd.Series, name: str) -> pa.Array:
    if name == "time":
        return pa.array(values, pa.timestamp("s"))
    return pa.array(values.astype(object).where(values.notna(), None), pa.string())


def _national_long(frame: pd.DataFrame, spec: dict, layout: str) -> pd.DataFrame:
    """``date, hour, type, <ids…>`` → one row per id and hour, one column per type."""
    date, hour, kind = (_column(frame, c) for c in ("date", "hour", "type"))
    ids = [c for c in frame.columns if c not in (date, hour, kind) and c]
    long = frame.melt(id_vars=[date, hour, kind], value_vars=ids, var_name="station_id")
    stamp = pd.to_datetime(long[date].str.strip(), format="%Y%m%d", errors="coerce")
    long["time"] = stamp + pd.to_timedelta(pd.to_numeric(long[hour], errors="coerce"), unit="h")
    names = {**spec["inputs"], **spec["published"]}
    long["item"] = long[kind].str.strip().map(names)
    long = long[long["item"].notna()]
    wide = long.groupby(["station_id", "time", "item"], sort=True, dropna=False)["value"].first()
    return wide.unstack("item").reset_index()


def _records(frame: pd.DataFrame, spec: dict, layout: str) -> pd.DataFrame:
    """One record per station-hour: rename the columns and build the hour label."""
    out = pd.DataFrame(index=frame.index)
    ids = _column(frame, spec["ids"])
    out["station_id"] = frame[ids].str.strip()
    if layout == "uci":
        parts = {
            p: pd.to_numeric(frame[_column(frame, p)], errors="coerce")
            for p in ("year", "month", "day")
        }
        day = pd.to_datetime(pd.DataFrame(parts), errors="coerce")
        out["time"] = day + pd.to_timedelta(
            pd.to_numeric(frame[_column(frame, "hour")], errors="coerce"), unit="h"
        )
    else:
        name = _column(frame, "time_point" if layout == "realtime_feed" else "time")
        text = frame[name].str.strip().str.removesuffix("Z").str.replace("T", " ")
        out["time"] = pd.to_datetime(text, errors="coerce", format="mixed")
    for source, item in {**spec["inputs"], **spec["published"]}.items():
        column = _column(frame, source)
        if column is not None:
            out[item] = frame[column]
    return out


def _co_unit(values: pd.Series | None) -> tuple[bool, str]:
    """Whether CO is in µg/m³, judged from its values, and the sentence that says why."""
    threshold = layouts()["co_unit_threshold"]
    if values is None:
        return False, "no CO column"
    numeric, _, _ = numbers(
        pa.array(values.astype(object).where(values.notna(), None), pa.string())
    )
    positive = numeric[np.isfinite(numeric) & (numeric > 0)]
    if not len(positive):
        return False, "no CO values; mg/m³ assumed"
    median = float(np.median(positive))
    if median > threshold:
        return True, f"µg/m³ (median {median:g} > {threshold}), converted to mg/m³ (÷ 1000)"
    return False, f"mg/m³ (median {median:g} ≤ {threshold})"


def _published(hourly: pd.DataFrame, spec: dict, co_in_ug: bool) -> pa.Table:
    items = [i for i in spec["published"].values() if i in hourly.columns]
    if not items:
        return _empty()
    long = hourly.melt(id_vars=["station_id", "time"], value_vars=items, var_name="item")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    long = long[long["value"].notna() & long["time"].notna()]
    if co_in_ug:
        is_co = long["item"].str.startswith("co_")
        long.loc[is_co, "value"] = long.loc[is_co, "value"] / 1000
    long = long.drop_duplicates(["station_id", "time", "item"])
    return pa.Table.from_pandas(long.reset_index(drop=True), PUBLISHED_SCHEMA, preserve_index=False)


def _empty() -> pa.Table:
    return PUBLISHED_SCHEMA.empty_table()
