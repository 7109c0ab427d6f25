"""Water samples into the canonical long table (地表水采样数据读取与校验).

Long (section, type, date, parameter, value[, unit]) or wide (one column per parameter)
layouts; parameter names from the aliases of ``data/water_gb3838.yaml``; values converted to
the standard's unit (mg/L).  See :mod:`ecociv.monitor.io` for the report semantics.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecociv.monitor.io_values import (
    UNIT_FACTORS,
    WATER_SCHEMA,
    Loaded,
    clean_values,
    header_unit,
    id_strings,
    map_columns,
    normalise_name,
    normalise_unit,
    numbers,
    parse_hour,
    plausible_dates,
    report_repeated_columns,
    report_unknown_columns,
    require,
    unit_names,
    vocabulary,
    water_parameter_names,
    water_plausible_max,
    without_repeated_columns,
)
from ecociv.monitor.validation import ValidationReport

# --------------------------------------------------------------------------- water


def canonical_water(raw: pa.Table, *, source: str = "<table>") -> Loaded:
    """Water samples (long, or wide with one column per parameter) in canonical long form."""
    raw, repeated = without_repeated_columns(raw)
    mapped, unknown = map_columns(raw.column_names, "water")
    parameters = water_parameter_names()
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
    require(mapped, ("section_id", "water_type", "date"), source, repeated)
    report_repeated_columns(report, repeated)
    report_unknown_columns(report, unknown)
    rows = np.arange(1, raw.num_rows + 1)
    sources = {name: col for col, name in mapped.items()}
    sections, no_section = id_strings(raw.column(sources["section_id"]))
    types = _water_types(raw.column(sources["water_type"]))
    dates = _dates(raw.column(sources["date"]))
    regions = (
        id_strings(raw.column(sources["region_code"]))[0]
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
        for key, variants in vocabulary()["water_types"].items()
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
    if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
        return plausible_dates(column.combine_chunks())
    parsed = []
    for text in column.cast(pa.string()).to_pylist():
        stamp = parse_hour(text.split(" ")[0]) if text else None
        parsed.append(stamp.date() if isinstance(stamp, datetime) else None)
    return pa.array(parsed, pa.date32())


def _water_column(report, raw, column, code, base, usable, rows) -> pa.Table:
    values, non_numeric, text = numbers(raw.column(column))
    unit = header_unit(column)
    factor = UNIT_FACTORS.get((unit, "mg/l"), 1.0) if unit else 1.0
    if factor != 1.0:
        report.unit_factors[column] = factor
        values = values * factor
    cleaned = clean_values(report, code, values, non_numeric, text, rows, water_plausible_max(code))
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
    values, non_numeric, text = numbers(raw.column(sources["value"]))
    if "unit" in sources:
        given = raw.column(sources["unit"]).cast(pa.string()).to_pylist()
        units = [unit_names().get(normalise_unit(u)) if u else None for u in given]
        bad = np.array([bool(g) and u is None for g, u in zip(given, units, strict=True)])
        report.add(
            "unknown_unit",
            usable & bad,
            rows,
            column=sources["unit"],
            values=np.asarray(given, dtype=object),
        )
        factors = np.array([UNIT_FACTORS.get((u, "mg/l"), 1.0) if u else 1.0 for u in units])
        values = np.where(bad, np.nan, values * factors)
    maxima = np.array([water_plausible_max(c) if c else np.inf for c in codes])
    cleaned = clean_values(report, "value", values, non_numeric, text, rows, maxima)
    keep = usable & (codes != "") & ~np.isnan(cleaned)
    table = pa.table(
        base
        | {
            "parameter": pa.array(codes.tolist(), pa.string()),
            "value": pa.array(cleaned, pa.float64(), mask=np.isnan(cleaned)),
        }
    )
    return table.filter(pa.array(keep)).select(WATER_SCHEMA.names).cast(WATER_SCHEMA)
