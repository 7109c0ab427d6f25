"""Read monitoring inputs into the canonical tables, with a validation report (监测数据读取与校验).

Canonical hourly air data: ``station_id`` (string), ``time`` (timestamp, hour-ending local
time, HJ 633-2012 §5.1), ``so2``, ``no2``, ``pm10``, ``pm25``, ``o3`` [µg/m³] and ``co``
[mg/m³] as float64 with nulls for missing values, one row per station-hour, sorted.
Accepted: wide (one row per station-hour) or long (station, time, pollutant, value[, unit])
layouts, CSV (UTF-8 or GB18030) or Parquet; column names in any spelling listed in
``data/input_columns.yaml``; a unit in the header (``CO(μg/m³)``) or a unit column converts.

Station metadata: ``station_id``, ``name``, ``region_code``, ``type``.  Water samples:
``section_id``, ``water_type`` (``river``/``lake``), ``date``, ``parameter`` (GB 3838 code),
``value`` (in the standard's unit), ``region_code``.

Rows that cannot be placed (no station, no readable hour) are left out and reported; values
that cannot be true (not numbers, negative, above the plausible maxima) become null and are
reported; duplicate station-hours are merged.  Nothing else is changed or dropped.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ecociv.errors import InputError
from ecociv.monitor.io_values import (
    AIR_SCHEMA,
    CANONICAL_UNIT,
    MISSING_TOKENS,
    POLLUTANTS,
    STATION_SCHEMA,
    UNIT_FACTORS,
    Loaded,
    clean_values,
    header_unit,
    hour_stamps,
    id_strings,
    map_columns,
    map_strings,
    names_of,
    normalise_name,
    normalise_unit,
    numbers,
    plain_columns,
    plausible_max,
    report_repeated_columns,
    report_unknown_columns,
    require,
    unit_names,
    without_repeated_columns,
)
from ecociv.monitor.io_water import canonical_water
from ecociv.monitor.validation import ValidationReport

# --------------------------------------------------------------------------- files


def read_table(path: str | Path) -> pa.Table:
    """A CSV (UTF-8 or GB18030, detected) or Parquet file as an Arrow table."""
    path = Path(path)
    if not path.is_file():
        raise InputError("文件不存在", "file not found", where=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            # ParquetFile, not read_table: the dataset API refuses repeated column names,
            # which the readers report and leave out themselves
            return plain_columns(pq.ParquetFile(path).read())
        if suffix in (".csv", ".txt"):
            return plain_columns(_read_csv(path))
    except (pa.ArrowException, OSError, UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"无法读取文件：{reason}", f"cannot read the file: {reason}", where=str(path)
        ) from None
    raise InputError(
        f"不支持的文件类型 {suffix or '（无后缀）'}：请提供 .csv 或 .parquet",
        f"unsupported file type {suffix or '(none)'}: give a .csv or .parquet file",
        where=str(path),
    )


def _read_csv(path: Path) -> pa.Table:
    convert = pacsv.ConvertOptions(
        null_values=sorted(MISSING_TOKENS), strings_can_be_null=True, timestamp_parsers=[]
    )
    encoding = _csv_encoding(path)
    return pacsv.read_csv(
        path, read_options=pacsv.ReadOptions(encoding=encoding), convert_options=convert
    )


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the first megabyte decodes as such, else GB18030."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def read_air(path: str | Path) -> Loaded:
    """Hourly air data from a file (wide or long; CSV or Parquet), validated."""
    return canonical_air(read_table(path), source=str(path))


def read_stations(path: str | Path) -> Loaded:
    """Station metadata from a file, validated."""
    return canonical_stations(read_table(path), source=str(path))


def read_water(path: str | Path) -> Loaded:
    """Water samples from a file (long or wide), validated."""
    return canonical_water(read_table(path), source=str(path))


# --------------------------------------------------------------------------- air


def canonical_air(raw: pa.Table, *, source: str = "<table>") -> Loaded:
    """Turn an Arrow table in any accepted layout into the canonical hourly table."""
    raw, repeated = without_repeated_columns(raw)
    mapped, unknown = map_columns(raw.column_names, "air")
    long_mapped, _ = map_columns(raw.column_names, "long")
    is_long = {"pollutant", "value"} <= set(long_mapped.values())
    if is_long:
        mapped = {c: n for c, n in mapped.items() if n in ("station_id", "time")}
        mapped.update(long_mapped)
        unknown = [c for c in raw.column_names if c not in mapped]
    report = ValidationReport(
        source=source,
        kind="air",
        layout="long" if is_long else "wide",
        rows_read=raw.num_rows,
        columns=mapped,
    )
    require(mapped, ("station_id", "time"), source, repeated)
    rows = np.arange(1, raw.num_rows + 1)
    report_repeated_columns(report, repeated)
    report_unknown_columns(report, unknown)
    by_name = {name: raw.column(col) for col, name in mapped.items()}
    stations, no_station = id_strings(by_name["station_id"])
    times, bad_time = hour_stamps(by_name["time"])
    report.add("missing_key", no_station, rows, column="station_id")
    report.add(
        "bad_timestamp",
        bad_time & ~no_station,
        rows,
        column="time",
        values=np.asarray(by_name["time"].cast(pa.string()).to_pylist(), dtype=object),
    )
    usable = ~(no_station | bad_time)
    if is_long:
        table = _long_to_wide(report, by_name, stations, times, usable, rows)
    else:
        table = _wide_values(report, mapped, raw, stations, times, usable, rows)
    table = _merge_duplicates(report, table)
    report.rows_out = table.num_rows
    return Loaded(table.drop_columns(["_row"]), report)


def _wide_values(report, mapped, raw, stations, times, usable, rows) -> pa.Table:
    columns = {"station_id": stations, "time": times}
    sources = {name: col for col, name in mapped.items()}
    for p in POLLUTANTS:
        if p not in sources:
            columns[p] = pa.nulls(raw.num_rows, pa.float64())
            continue
        values, non_numeric, text = numbers(raw.column(sources[p]))
        unit = header_unit(sources[p])
        factor = UNIT_FACTORS.get((unit, CANONICAL_UNIT[p]), 1.0) if unit else 1.0
        if factor != 1.0:
            report.unit_factors[sources[p]] = factor
            values = values * factor
        cleaned = clean_values(report, p, values, non_numeric, text, rows, plausible_max(p))
        columns[p] = pa.array(cleaned, pa.float64(), mask=np.isnan(cleaned))
    columns["_row"] = pa.array(rows)
    return pa.table(columns).filter(pa.array(usable))


def _long_to_wide(report, by_name, stations, times, usable, rows) -> pa.Table:
    names = names_of("air")
    pollutant = by_name["pollutant"]
    code = map_strings(pollutant, lambda v: names.get(normalise_name(v), ""), missing="")
    code[~np.isin(code, POLLUTANTS)] = ""
    raw_names = map_strings(pollutant, str, missing="")
    report.add(
        "unknown_parameter", usable & (code == ""), rows, column="pollutant", values=raw_names
    )
    values, non_numeric, text = numbers(by_name["value"])
    if "unit" in by_name:
        units = map_strings(
            by_name["unit"], lambda u: unit_names().get(normalise_unit(u), "?"), missing="none"
        )
        factors = np.full(len(units), np.nan)
        for p in POLLUTANTS:
            for unit in np.unique(units[code == p]):
                factor = (
                    1.0
                    if unit in ("none", CANONICAL_UNIT[p])
                    else UNIT_FACTORS.get((unit, CANONICAL_UNIT[p]))
                )
                factors[(code == p) & (units == unit)] = np.nan if factor is None else factor
        bad_unit = usable & (code != "") & np.isnan(factors)
        shown = map_strings(by_name["unit"], str, missing="")
        report.add("unknown_unit", bad_unit, rows, column="unit", values=shown)
        values = values * factors
    keep = usable & (code != "")
    wide_parts = {}
    for p in POLLUTANTS:
        mask = keep & (code == p)
        plain = clean_values(
            report,
            p,
            values[mask],
            non_numeric[mask],
            None if text is None else text[mask],
            rows[mask],
            plausible_max(p),
        )
        wide_parts[p] = pa.table(
            {
                "station_id": stations.filter(pa.array(mask)),
                "time": times.filter(pa.array(mask)),
                p: pa.array(plain, pa.float64(), mask=np.isnan(plain)),
                "_row": pa.array(rows[mask]),
            }
        )
    return _pivot(wide_parts)


def _pivot(parts: dict[str, pa.Table]) -> pa.Table:
    """Long parts (one per pollutant) → one row per station-hour (duplicates kept apart)."""
    frames = []
    for p, part in parts.items():
        other = {q: pa.nulls(part.num_rows, pa.float64()) for q in POLLUTANTS if q != p}
        frames.append(_widen(part, p, other))
    stacked = pa.concat_tables(frames)
    grouped = stacked.group_by(["station_id", "time"], use_threads=False).aggregate(
        [(p, "first") for p in POLLUTANTS] + [("_row", "min")]
    )
    renamed = {f"{p}_first": p for p in POLLUTANTS} | {"_row_min": "_row"}
    return grouped.rename_columns([renamed.get(c, c) for c in grouped.column_names])


def _widen(part: pa.Table, pollutant: str, others: dict[str, pa.Array]) -> pa.Table:
    columns = {"station_id": part["station_id"], "time": part["time"]}
    for p in POLLUTANTS:
        columns[p] = part[pollutant] if p == pollutant else others[p]
    columns["_row"] = part["_row"]
    return pa.table(columns)


def _merge_duplicates(report: ValidationReport, table: pa.Table) -> pa.Table:
    """Sort by station and hour; merge repeated station-hours (first non-null value wins)."""
    order = pc.sort_indices(
        table, [("station_id", "ascending"), ("time", "ascending"), ("_row", "ascending")]
    )
    table = table.take(order)
    if table.num_rows < 2:
        return table.cast(AIR_SCHEMA.append(pa.field("_row", pa.int64())))
    ids, stamps = table["station_id"], table["time"]
    same = pc.and_(
        pc.equal(ids.slice(1), ids.slice(0, table.num_rows - 1)),
        pc.equal(stamps.slice(1), stamps.slice(0, table.num_rows - 1)),
    )
    repeat = np.concatenate([[False], np.asarray(pc.fill_null(same, False))])
    if not repeat.any():
        return table.cast(AIR_SCHEMA.append(pa.field("_row", pa.int64())))
    rows = np.asarray(table["_row"])
    report.add("duplicate", repeat, rows, column="station_id")
    group_start = np.cumsum(~repeat) - 1
    involved = np.isin(group_start, group_start[repeat])
    dup = table.filter(pa.array(involved))
    merged = dup.group_by(["station_id", "time"], use_threads=False).aggregate(
        [(p, "first") for p in POLLUTANTS]
        + [(p, "count_distinct") for p in POLLUTANTS]
        + [("_row", "min")]
    )
    conflict = np.zeros(merged.num_rows, bool)
    for p in POLLUTANTS:
        conflict |= np.asarray(merged[f"{p}_count_distinct"]) > 1
    report.add("duplicate_conflict", conflict, np.asarray(merged["_row_min"]), column="station_id")
    merged = pa.table(
        {"station_id": merged["station_id"], "time": merged["time"]}
        | {p: merged[f"{p}_first"] for p in POLLUTANTS}
        | {"_row": merged["_row_min"]}
    )
    single = table.filter(pa.array(~involved))
    combined = pa.concat_tables([single.cast(merged.schema), merged])
    order = pc.sort_indices(combined, [("station_id", "ascending"), ("time", "ascending")])
    return combined.take(order).cast(AIR_SCHEMA.append(pa.field("_row", pa.int64())))


# --------------------------------------------------------------------------- stations


def canonical_stations(raw: pa.Table, *, source: str = "<table>") -> Loaded:
    """Station metadata in the canonical columns; repeated station ids keep their first row."""
    raw, repeated = without_repeated_columns(raw)
    mapped, unknown = map_columns(raw.column_names, "stations")
    report = ValidationReport(
        source=source, kind="stations", rows_read=raw.num_rows, columns=mapped
    )
    require(mapped, ("station_id",), source, repeated)
    report_repeated_columns(report, repeated)
    report_unknown_columns(report, unknown)
    rows = np.arange(1, raw.num_rows + 1)
    sources = {name: col for col, name in mapped.items()}
    ids, missing = id_strings(raw.column(sources["station_id"]))
    report.add("missing_key", missing, rows, column="station_id")
    columns = {"station_id": ids}
    for name in ("name", "region_code", "type"):
        columns[name] = (
            id_strings(raw.column(sources[name]))[0]
            if name in sources
            else pa.nulls(raw.num_rows, pa.string())
        )
    table = pa.table(columns, schema=STATION_SCHEMA)
    seen: set[str] = set()
    repeat = np.zeros(raw.num_rows, bool)
    for i, value in enumerate(ids.to_pylist()):
        repeat[i] = value in seen
        seen.add(value)
    report.add(
        "duplicate",
        repeat & ~missing,
        rows,
        column="station_id",
        values=np.asarray(ids.to_pylist(), dtype=object),
    )
    table = table.filter(pa.array(~(missing | repeat)))
    report.rows_out = table.num_rows
    return Loaded(table, report)
