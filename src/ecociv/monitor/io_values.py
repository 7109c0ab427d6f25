"""Column names, units, numbers and timestamps of monitoring inputs (监测数据的列名、单位与数值).

Shared by the readers in :mod:`ecociv.monitor.io` and :mod:`ecociv.monitor.io_water`:
spellings and plausible maxima come from ``data/input_columns.yaml``; every helper returns the
cleaned values together with the masks the validation report needs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
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


def plain_columns(table: pa.Table) -> pa.Table:
    """*table* with nested or binary columns (lists, structs, maps, bytes) as text.

    No canonical column holds such values; as text they reach the readers, which report them
    as not numbers or not timestamps instead of failing on a cast.
    """
    for index, field in enumerate(table.schema):
        kind = field.type
        if pa.types.is_nested(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            text = [None if v is None else str(v) for v in table.column(index).to_pylist()]
            table = table.set_column(index, field.name, pa.array(text, pa.string()))
    return table


def normalise_name(name: str) -> str:
    """``"PM₂.₅(μg/m³)"`` → ``"pm25"``: NFKC, units in brackets dropped, separators removed."""
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"[(\[].*?[)\]]", "", text)
    return re.sub(r"[\s_.\-·]", "", text.lower())


def normalise_unit(unit: str) -> str:
    text = unicodedata.normalize("NFKC", str(unit)).lower().replace("μ", "u")
    return re.sub(r"\s", "", text)


@cache
def vocabulary() -> dict:
    text = resources.files("ecociv.monitor").joinpath("data/input_columns.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def names_of(section: str) -> dict[str, str]:
    """Normalised spelling → canonical name for one section of ``input_columns.yaml``."""
    return {
        normalise_name(v): key for key, variants in vocabulary()[section].items() for v in variants
    }


@cache
def unit_names() -> dict[str, str]:
    return {
        normalise_unit(v): key for key, variants in vocabulary()["units"].items() for v in variants
    }


@cache
def water_parameter_names() -> dict[str, str]:
    names = {}
    for code, p in load_gb3838().parameters.items():
        for spelling in (code, p.name, *p.aliases):
            names[normalise_name(spelling)] = code
    return names


def header_unit(column: str) -> str | None:
    found = re.search(r"[(（\[]([^)）\]]*)[)）\]]", unicodedata.normalize("NFKC", column))
    return unit_names().get(normalise_unit(found.group(1))) if found else None


def map_columns(columns: list[str], section: str) -> tuple[dict[str, str], list[str]]:
    """Source column → canonical name (first spelling wins), and the unrecognised columns."""
    names = names_of(section)
    mapped: dict[str, str] = {}
    unknown = []
    for column in columns:
        canonical = names.get(normalise_name(column))
        if canonical and canonical not in mapped.values():
            mapped[column] = canonical
        else:
            unknown.append(column)
    return mapped, unknown


# --------------------------------------------------------------------------- values


def numbers(
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


def clean_values(
    report: ValidationReport,
    column: str,
    values: np.ndarray,
    non_numeric: np.ndarray,
    raw: np.ndarray | None,
    rows: np.ndarray,
    plausible_max: float | np.ndarray,
) -> np.ndarray:
    """Null impossible values (infinite, negative, above the plausible maximum — one for
    all rows or one per row) and report them; such values are never classed."""
    report.add("non_numeric", non_numeric, rows, column=column, values=raw)
    infinite = np.isinf(values)
    with np.errstate(invalid="ignore"):
        negative = (values < 0) & ~infinite
        implausible = (values > plausible_max) & ~infinite
    report.add("non_finite", infinite, rows, column=column, values=values)
    report.add("negative", negative, rows, column=column, values=values)
    report.add("implausible", implausible, rows, column=column, values=values)
    cleaned = values.copy()
    cleaned[infinite | negative | implausible] = np.nan
    return cleaned


def plausible_max(pollutant: str) -> float:
    return float(vocabulary()["plausible_max"][CANONICAL_UNIT[pollutant]][pollutant])


def water_plausible_max(code: str) -> float:
    """The plausible maximum of a GB 3838 parameter, by its unit (``input_columns.yaml``)."""
    return float(vocabulary()["plausible_max_water"][load_gb3838().parameters[code].unit])


@cache
def plausible_seconds() -> tuple[int, int]:
    """The first and last plausible instants, in seconds since 1970 (``plausible_time``)."""
    window = vocabulary()["plausible_time"]
    first = datetime.combine(window["first"], datetime.min.time())
    last = datetime.combine(window["last"], datetime.max.time())
    epoch = datetime(1970, 1, 1)
    return int((first - epoch).total_seconds()), int((last - epoch).total_seconds())


def plausible_instant(stamp: datetime) -> bool:
    first, last = plausible_seconds()
    return first <= (stamp - datetime(1970, 1, 1)).total_seconds() <= last


_TIME = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})(?:[:时](\d{1,2}))?(?::(\d{1,2}))?(?:\.\d+)?分?)?\s*$"
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(\d{2})\s*$")


def parse_hour(text: str) -> datetime | None:
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
        stamp = datetime(year, month, day) + timedelta(hours=hour)
    except (ValueError, OverflowError):
        return None
    return stamp if plausible_instant(stamp) else None


def hour_stamps(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Hour-ending timestamps (second resolution) and the mask of unusable ones."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_timestamp(column.type):
        seconds, null, fraction = _epoch_seconds(column)
        bad = null | fraction | ~_within(seconds) | (seconds % 3600 != 0)
        seconds[bad] = 0
        stamps = pa.array(seconds, pa.timestamp("s", tz=column.type.tz), mask=bad)
        if column.type.tz is not None:
            stamps = pc.local_timestamp(stamps.cast(pa.timestamp("s", tz="Asia/Shanghai")))
        return stamps, bad
    encoded = pc.dictionary_encode(column.cast(pa.string()))
    parsed = [parse_hour(text) for text in encoded.dictionary.to_pylist()]
    lookup = pa.array(parsed, pa.timestamp("s"))
    stamps = lookup.take(encoded.indices)
    return stamps, np.asarray(pc.is_null(stamps))


_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _epoch_seconds(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whole seconds since 1970 (UTC) of a timestamp column, its null mask, and the mask of
    values that are not a whole second."""
    per_second = _PER_SECOND[column.type.unit]
    raw = np.asarray(pc.fill_null(column.cast(pa.int64()), 0).to_numpy(zero_copy_only=False))
    return raw // per_second, np.asarray(pc.is_null(column)), raw % per_second != 0


def plausible_dates(column: pa.Array) -> pa.Array:
    """A date or timestamp column as ``date32``, null outside :func:`plausible_seconds`."""
    if pa.types.is_timestamp(column.type):
        seconds, bad, _ = _epoch_seconds(column)
    else:
        days = np.asarray(pc.fill_null(column.cast(pa.int32()), 0).to_numpy(zero_copy_only=False))
        seconds, bad = days.astype(np.int64) * 86_400, np.asarray(pc.is_null(column))
    bad = bad | ~_within(seconds)
    days = np.where(bad, 0, seconds // 86_400)
    return pa.array(days, pa.int32(), mask=bad).cast(pa.date32())


def _within(seconds: np.ndarray) -> np.ndarray:
    first, last = plausible_seconds()
    return (seconds >= first) & (seconds <= last)


def map_strings(column: pa.ChunkedArray, fn, *, missing: str) -> np.ndarray:
    """Apply *fn* to each distinct string of *column* (few, however long the column) and
    spread the results over the rows; nulls and empty strings give *missing*."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = pc.dictionary_encode(column.cast(pa.string()))
    mapped = np.array(
        [fn(v) if v else missing for v in encoded.dictionary.to_pylist()] + [missing], dtype=object
    )
    indices = pc.fill_null(encoded.indices, len(mapped) - 1)
    return mapped[np.asarray(indices)]


def id_strings(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    keys = pc.utf8_trim_whitespace(column.cast(pa.string()))
    keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    missing = np.asarray(pc.fill_null(pc.equal(keys, ""), True))
    return keys, missing


def report_unknown_columns(report: ValidationReport, unknown: list[str]) -> None:
    if unknown:
        report.issues.append(Issue(code="unknown_column", count=len(unknown), examples=unknown))


def without_repeated_columns(raw: pa.Table) -> tuple[pa.Table, list[str]]:
    """*raw* without the columns whose name occurs more than once, and those names.

    Which copy holds the right data cannot be told, so none is used (and each is reported).
    """
    counts = Counter(raw.column_names)
    repeated = [name for name, count in counts.items() if count > 1]
    if not repeated:
        return raw, []
    return raw.select([i for i, name in enumerate(raw.column_names) if counts[name] == 1]), repeated


def report_repeated_columns(report: ValidationReport, repeated: list[str]) -> None:
    if repeated:
        report.issues.append(
            Issue(code="duplicate_column", count=len(repeated), examples=[str(n) for n in repeated])
        )


def require(
    mapped: dict[str, str], needed: tuple[str, ...], source: str, repeated: Sequence[str] = ()
) -> None:
    missing = [n for n in needed if n not in mapped.values()]
    if missing:
        note_zh = note_en = ""
        if repeated:
            names = ", ".join(map(str, repeated))
            note_zh = f"；重复的列 {names} 未使用"
            note_en = f"; the repeated columns {names} were not used"
        raise InputError(
            f"缺少必需的列：{', '.join(missing)}（可用的列名写法见 input_columns.yaml）{note_zh}",
            f"required columns missing: {', '.join(missing)} "
            f"(accepted spellings: input_columns.yaml){note_en}",
            where=source,
        )
