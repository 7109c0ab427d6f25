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
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from ecociv.errors import InputError
from ecociv.monitor.validation import Issue, ValidationReport
from ecociv.monitor.water import load_gb3838

POLLUTANTS = ("so2", "no2", "pm10", "pm25", "co", "o3")
CANONICAL_UNIT = {
    "so2": "ug/m3",
    "no2": "ug/m3",
    "pm10": "ug/m3",
    "pm25": "ug/m3",
    "o3": "ug/m3",
    "co": "mg/m3",
}
AIR_SCHEMA = pa.schema(
    [("station_id", pa.string()), ("time", pa.timestamp("s"))]
    + [(p, pa.float64()) for p in POLLUTANTS]
)
STATION_SCHEMA = pa.schema(
    [(c, pa.string()) for c in ("station_id", "name", "region_code", "type")]
)
WATER_SCHEMA = pa.schema(
    [
        ("section_id", pa.string()),
        ("water_type", pa.string()),
        ("date", pa.date32()),
        ("parameter", pa.string()),
        ("value", pa.float64()),
        ("region_code", pa.string()),
    ]
)
MISSING_TOKENS = {
    "",
    "na",
    "n/a",
    "nan",
    "null",
    "none",
    "-",
    "--",
    "—",
    "/",
    "无",
    "缺测",
    "无数据",
}
UNIT_FACTORS = {("ug/m3", "mg/m3"): 0.001, ("mg/m3", "ug/m3"): 1000.0, ("ug/l", "mg/l"): 0.001}


@dataclass(frozen=True)
class Loaded:
    """A canonical Arrow table and the report of how it was read."""

    table: pa.Table
    report: ValidationReport


# --------------------------------------------------------------------------- names and units


def normalise_name(name: str) -> str:
    """``"PM₂.₅(μg/m³)"`` → ``"pm25"``: NFKC, units in brackets dropped, separators removed."""
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"[(\[].*?[)\]]", "", text)
    return re.sub(r"[\s_.\-·]", "", text.lower())


def normalise_unit(unit: str) -> str:
    text = unicodedata.normalize("NFKC", str(unit)).lower().replace("μ", "u")
    return re.sub(r"\s", "", text)


@cache
def _vocabulary() -> dict:
    text = resources.files("ecociv.monitor").joinpath("data/input_columns.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def _names(section: str) -> dict[str, str]:
    """Normalised spelling → canonical name for one section of ``input_columns.yaml``."""
    return {
        normalise_name(v): key for key, variants in _vocabulary()[section].items() for v in variants
    }


@cache
def _units() -> dict[str, str]:
    return {
        normalise_unit(v): key for key, variants in _vocabulary()["units"].items() for v in variants
    }


@cache
def _water_parameters() -> dict[str, str]:
    names = {}
    for code, p in load_gb3838().parameters.items():
        for spelling in (code, p.name, *p.aliases):
            names[normalise_name(spelling)] = code
    return names


def _header_unit(column: str) -> str | None:
    found = re.search(r"[(（\[]([^)）\]]*)[)）\]]", unicodedata.normalize("NFKC", column))
    return _units().get(normalise_unit(found.group(1))) if found else None


def _map_columns(columns: list[str], section: str) -> tuple[dict[str, str], list[str]]:
    """Source column → canonical name (first spelling wins), and the unrecognised columns."""
    names = _names(section)
    mapped: dict[str, str] = {}
    unknown = []
    for column in columns:
        canonical = names.get(normalise_name(column))
        if canonical and canonical not in mapped.values():
            mapped[column] = canonical
        else:
            unknown.append(column)
    return mapped, unknown


# --------------------------------------------------------------------------- files


def read_table(path: str | Path) -> pa.Table:
    """A CSV (UTF-8 or GB18030, detected) or Parquet file as an Arrow table."""
    path = Path(path)
    if not path.is_file():
        raise InputError("文件不存在", "file not found", where=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pq.read_table(path)
        if suffix in (".csv", ".txt"):
            return _read_csv(path)
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"无法读取文件：{exc}", f"cannot read the file: {exc}", where=str(path)
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


# --------------------------------------------------------------------------- values


def _numbers(
    column: pa.ChunkedArray | pa.Array,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Float values (NaN for null), the mask of non-numeric text, and the raw text if any."""
    if (
        pa.types.is_integer(column.type)
        or pa.types.is_floating(column.type)
        or pa.types.is_decimal(column.type)
    ):
        values = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
        return values.astype(np.float64), np.zeros(len(values), bool), None
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    try:
        values = text.cast(pa.float64()).to_numpy(zero_copy_only=False)
        return values.astype(np.float64), np.zeros(len(values), bool), None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    raw = np.array(text.to_pylist(), dtype=object)
    values = np.full(len(raw), np.nan)
    bad = np.zeros(len(raw), bool)
    for i, item in enumerate(raw):
        if item is None or item.lower() in MISSING_TOKENS:
            continue
        try:
            values[i] = float(item)
        except ValueError:
            bad[i] = True
    return values, bad, raw


def _clean_values(
    report: ValidationReport,
    column: str,
    values: np.ndarray,
    non_numeric: np.ndarray,
    raw: np.ndarray | None,
    rows: np.ndarray,
    plausible_max: float | None,
) -> np.ndarray:
    """Null impossible values (negative, above the plausible maximum) and report them."""
    report.add("non_numeric", non_numeric, rows, column=column, values=raw)
    with np.errstate(invalid="ignore"):
        negative = values < 0
        implausible = (
            values > plausible_max if plausible_max is not None else np.zeros_like(negative)
        )
    report.add("negative", negative, rows, column=column, values=values)
    report.add("implausible", implausible, rows, column=column, values=values)
    cleaned = values.copy()
    cleaned[negative | implausible] = np.nan
    return cleaned


def _plausible_max(pollutant: str) -> float:
    return float(_vocabulary()["plausible_max"][CANONICAL_UNIT[pollutant]][pollutant])


_TIME = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})(?:[:时](\d{1,2}))?(?::(\d{1,2}))?(?:\.\d+)?分?)?\s*$"
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(\d{2})\s*$")


def _parse_hour(text: str) -> datetime | None:
    """One timestamp string → the full hour it names (``24:00`` is the next day's 00:00)."""
    match = _TIME.match(text) or _COMPACT.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (
        int(g) if g else 0 for g in match.groups() + (None,) * (6 - len(match.groups()))
    )
    if minute or second or hour > 24:
        return None
    try:
        return datetime(year, month, day) + timedelta(hours=hour)
    except ValueError:
        return None


def _hours(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Hour-ending timestamps (second resolution) and the mask of unusable ones."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_timestamp(column.type):
        if column.type.tz is not None:
            column = pc.local_timestamp(column.cast(pa.timestamp("s", tz="Asia/Shanghai")))
        stamps = column.cast(pa.timestamp("s"))
        seconds = stamps.cast(pa.int64()).to_numpy(zero_copy_only=False)
        off_hour = np.asarray(
            pc.fill_null(pc.not_equal(pc.cast(seconds % 3600, pa.int64()), 0), True)
        )
        bad = off_hour | np.asarray(pc.is_null(stamps))
        return stamps, bad
    encoded = pc.dictionary_encode(column.cast(pa.string()))
    parsed = [_parse_hour(text) for text in encoded.dictionary.to_pylist()]
    lookup = pa.array(parsed, pa.timestamp("s"))
    stamps = lookup.take(encoded.indices)
    return stamps, np.asarray(pc.is_null(stamps))


def _keys(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    keys = pc.utf8_trim_whitespace(column.cast(pa.string()))
    keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    missing = np.asarray(pc.fill_null(pc.equal(keys, ""), True))
    return keys, missing


# --------------------------------------------------------------------------- air


def canonical_air(raw: pa.Table, *, source: str = "<table>") -> Loaded:
    """Turn an Arrow table in any accepted layout into the canonical hourly table."""
    mapped, unknown = _map_columns(raw.column_names, "air")
    long_mapped, _ = _map_columns(raw.column_names, "long")
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
    _require(mapped, ("station_id", "time"), source)
    rows = np.arange(1, raw.num_rows + 1)
    _report_unknown_columns(report, unknown)
    by_name = {name: raw.column(col) for col, name in mapped.items()}
    stations, no_station = _keys(by_name["station_id"])
    times, bad_time = _hours(by_name["time"])
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


def _report_unknown_columns(report: ValidationReport, unknown: list[str]) -> None:
    if unknown:
        report.issues.append(Issue(code="unknown_column", count=len(unknown), examples=unknown))


def _require(mapped: dict[str, str], needed: tuple[str, ...], source: str) -> None:
    missing = [n for n in needed if n not in mapped.values()]
    if missing:
        raise InputError(
            f"缺少必需的列：{', '.join(missing)}（可用的列名写法见 input_columns.yaml）",
            f"required columns missing: {', '.join(missing)} (accepted spellings: input_columns.yaml)",
            where=source,
        )


def _wide_values(report, mapped, raw, stations, times, usable, rows) -> pa.Table:
    columns = {"station_id": stations, "time": times}
    sources = {name: col for col, name in mapped.items()}
    for p in POLLUTANTS:
        if p not in sources:
            columns[p] = pa.nulls(raw.num_rows, pa.float64())
            continue
        values, non_numeric, text = _numbers(raw.column(sources[p]))
        unit = _header_unit(sources[p])
        factor = UNIT_FACTORS.get((unit, CANONICAL_UNIT[p]), 1.0) if unit else 1.0
        if factor != 1.0:
            report.unit_factors[sources[p]] = factor
            values = values * factor
        cleaned = _clean_values(report, p, values, non_numeric, text, rows, _plausible_max(p))
        columns[p] = pa.array(cleaned, pa.float64(), mask=np.isnan(cleaned))
    columns["_row"] = pa.array(rows)
    return pa.table(columns).filter(pa.array(usable))


def _long_to_wide(report, by_name, stations, times, usable, rows) -> pa.Table:
    names = _names("air")
    codes = [
        names.get(normalise_name(v)) if v is not None else None
        for v in by_name["pollutant"].to_pylist()
    ]
    code = np.array([c if c in POLLUTANTS else "" for c in codes], dtype=object)
    unknown = usable & (code == "")
    report.add(
        "unknown_parameter",
        unknown,
        rows,
        column="pollutant",
        values=np.asarray(by_name["pollutant"].to_pylist(), dtype=object),
    )
    values, non_numeric, text = _numbers(by_name["value"])
    if "unit" in by_name:
        units = [
            _units().get(normalise_unit(u)) if u is not None else None
            for u in by_name["unit"].cast(pa.string()).to_pylist()
        ]
        factors = np.array(
            [
                UNIT_FACTORS.get((u, CANONICAL_UNIT.get(c, "")), 1.0) if u else np.nan
                for u, c in zip(units, code, strict=True)
            ]
        )
        given = np.array([u is not None for u in by_name["unit"].to_pylist()])
        bad_unit = usable & given & np.isnan(factors)
        report.add(
            "unknown_unit",
            bad_unit,
            rows,
            column="unit",
            values=np.asarray(by_name["unit"].to_pylist(), dtype=object),
        )
        values = values * np.where(np.isnan(factors), np.where(given, np.nan, 1.0), factors)
    keep = usable & (code != "")
    wide_parts = {}
    for p in POLLUTANTS:
        mask = keep & (code == p)
        plain = _clean_values(
            report,
            p,
            values[mask],
            non_numeric[mask],
            None if text is None else text[mask],
            rows[mask],
            _plausible_max(p),
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
    mapped, unknown = _map_columns(raw.column_names, "stations")
    report = ValidationReport(
        source=source, kind="stations", rows_read=raw.num_rows, columns=mapped
    )
    _require(mapped, ("station_id",), source)
    _report_unknown_columns(report, unknown)
    rows = np.arange(1, raw.num_rows + 1)
    sources = {name: col for col, name in mapped.items()}
    ids, missing = _keys(raw.column(sources["station_id"]))
    report.add("missing_key", missing, rows, column="station_id")
    columns = {"station_id": ids}
    for name in ("name", "region_code", "type"):
        columns[name] = (
            _keys(raw.column(sources[name]))[0]
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


# --------------------------------------------------------------------------- water


def canonical_water(raw: pa.Table, *, source: str = "<table>") -> Loaded:
    """Water samples (long, or wide with one column per parameter) in canonical long form."""
    mapped, unknown = _map_columns(raw.column_names, "water")
    parameters = _water_parameters()
    is_long = {"parameter", "value"} <= set(mapped.values())
    if not is_long:
        mapped = {c: n for c, n in mapped.items() if n not in ("parameter", "value", "unit")}
        unknown = [
            c for c in raw.column_names if c not in mapped and normalise_name(c) not in parameters
        ]
    report = ValidationReport(
        source=source,
        kind="water",
        layout="long" if is_long else "wide",
        rows_read=raw.num_rows,
        columns=mapped,
    )
    _require(mapped, ("section_id", "water_type", "date"), source)
    _report_unknown_columns(report, unknown)
    rows = np.arange(1, raw.num_rows + 1)
    sources = {name: col for col, name in mapped.items()}
    sections, no_section = _keys(raw.column(sources["section_id"]))
    types = _water_types(raw.column(sources["water_type"]))
    dates = _dates(raw.column(sources["date"]))
    regions = (
        _keys(raw.column(sources["region_code"]))[0]
        if "region_code" in sources
        else pa.nulls(raw.num_rows, pa.string())
    )
    bad_type = np.asarray(pc.is_null(types)) & ~no_section
    bad_date = np.asarray(pc.is_null(dates)) & ~no_section
    report.add("missing_key", no_section, rows, column="section_id")
    report.add(
        "bad_water_type",
        bad_type,
        rows,
        column="water_type",
        values=np.asarray(raw.column(sources["water_type"]).to_pylist(), dtype=object),
    )
    report.add(
        "bad_date",
        bad_date,
        rows,
        column="date",
        values=np.asarray(raw.column(sources["date"]).cast(pa.string()).to_pylist(), dtype=object),
    )
    usable = ~(no_section | bad_type | bad_date)
    base = {"section_id": sections, "water_type": types, "date": dates, "region_code": regions}
    if is_long:
        pieces = [_water_long(report, raw, sources, base, usable, rows, parameters)]
    else:
        pieces = [
            _water_column(report, raw, col, parameters[normalise_name(col)], base, usable, rows)
            for col in raw.column_names
            if col not in mapped and normalise_name(col) in parameters
        ]
    table = pa.concat_tables(pieces) if pieces else WATER_SCHEMA.empty_table()
    report.rows_out = table.num_rows
    return Loaded(table, report)


def _water_types(column: pa.ChunkedArray) -> pa.Array:
    kinds = {
        normalise_name(v): key
        for key, variants in _vocabulary()["water_types"].items()
        for v in variants
    }
    return pa.array(
        [
            kinds.get(normalise_name(v)) if v is not None else None
            for v in column.cast(pa.string()).to_pylist()
        ],
        pa.string(),
    )


def _dates(column: pa.ChunkedArray) -> pa.Array:
    if pa.types.is_date(column.type):
        return column.combine_chunks().cast(pa.date32())
    if pa.types.is_timestamp(column.type):
        return column.combine_chunks().cast(pa.date32())
    parsed = []
    for text in column.cast(pa.string()).to_pylist():
        stamp = _parse_hour(text.split(" ")[0]) if text else None
        parsed.append(stamp.date() if isinstance(stamp, datetime) else None)
    return pa.array(parsed, pa.date32())


def _water_column(report, raw, column, code, base, usable, rows) -> pa.Table:
    values, non_numeric, text = _numbers(raw.column(column))
    unit = _header_unit(column)
    factor = UNIT_FACTORS.get((unit, "mg/l"), 1.0) if unit else 1.0
    if factor != 1.0:
        report.unit_factors[column] = factor
        values = values * factor
    cleaned = _clean_values(report, code, values, non_numeric, text, rows, None)
    keep = usable & ~np.isnan(cleaned)
    table = pa.table(
        base
        | {
            "parameter": pa.array([code] * raw.num_rows, pa.string()),
            "value": pa.array(cleaned, pa.float64(), mask=np.isnan(cleaned)),
        }
    )
    return table.filter(pa.array(keep)).select(WATER_SCHEMA.names).cast(WATER_SCHEMA)


def _water_long(report, raw, sources, base, usable, rows, parameters) -> pa.Table:
    names = raw.column(sources["parameter"]).cast(pa.string()).to_pylist()
    codes = np.array(
        [parameters.get(normalise_name(n), "") if n else "" for n in names], dtype=object
    )
    report.add(
        "unknown_parameter",
        usable & (codes == ""),
        rows,
        column=sources["parameter"],
        values=np.asarray(names, dtype=object),
    )
    values, non_numeric, text = _numbers(raw.column(sources["value"]))
    if "unit" in sources:
        given = raw.column(sources["unit"]).cast(pa.string()).to_pylist()
        units = [_units().get(normalise_unit(u)) if u else None for u in given]
        bad = np.array([bool(g) and u is None for g, u in zip(given, units, strict=True)])
        report.add(
            "unknown_unit",
            usable & bad,
            rows,
            column=sources["unit"],
            values=np.asarray(given, dtype=object),
        )
        factors = np.array([UNIT_FACTORS.get((u, "mg/l"), 1.0) for u in units])
        values = np.where(bad, np.nan, values * factors)
    cleaned = _clean_values(report, "value", values, non_numeric, text, rows, None)
    keep = usable & (codes != "") & ~np.isnan(cleaned)
    table = pa.table(
        base
        | {
            "parameter": pa.array(codes.tolist(), pa.string()),
            "value": pa.array(cleaned, pa.float64(), mask=np.isnan(cleaned)),
        }
    )
    return table.filter(pa.array(keep)).select(WATER_SCHEMA.names).cast(WATER_SCHEMA)
