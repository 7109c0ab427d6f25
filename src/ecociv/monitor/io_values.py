"""Column names, units, numbers and timestamps of monitoring inputs (监测数据的列名、单位与数值).

Shared by the readers in :mod:`ecociv.monitor.io` and :mod:`ecociv.monitor.io_water`:
spellings and plausible maxima come from ``data/input_columns.yaml``; every helper returns the
cleaned values together with the masks the validation report needs.
"""

from __future__ import annotations

import re
import unicodedata
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


def plausible_max(pollutant: str) -> float:
    return float(vocabulary()["plausible_max"][CANONICAL_UNIT[pollutant]][pollutant])


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
        return datetime(year, month, day) + timedelta(hours=hour)
    except ValueError:
        return None


def hour_stamps(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
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
    parsed = [parse_hour(text) for text in encoded.dictionary.to_pylist()]
    lookup = pa.array(parsed, pa.timestamp("s"))
    stamps = lookup.take(encoded.indices)
    return stamps, np.asarray(pc.is_null(stamps))


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


def require(mapped: dict[str, str], needed: tuple[str, ...], source: str) -> None:
    missing = [n for n in needed if n not in mapped.values()]
    if missing:
        raise InputError(
            f"缺少必需的列：{', '.join(missing)}（可用的列名写法见 input_columns.yaml）",
            f"required columns missing: {', '.join(missing)} (accepted spellings: input_columns.yaml)",
            where=source,
        )
