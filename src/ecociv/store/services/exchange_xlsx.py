"""The region export (:mod:`.exchange`) as an .xlsx workbook, and back, without loss.

One sheet per table, a header row of field names, one row per record.  Nested JSON fields
(``source_json``, ``cells`` …) are written as JSON text; any text Excel cannot hold as it is
(over 32,000 characters, control characters, or starting with ``@``) goes to the
``long_text`` sheet as JSON-escaped pieces and the cell holds ``@long:<n>``.  Times stay ISO 8601 text
(Excel's own dates keep neither the time zone nor microseconds), and a number Excel's 15
significant digits cannot hold exactly is written as its exact text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from ecociv.store.errors import ValidationError
from ecociv.store.services.exchange import (
    EXPORT_FORMAT,
    FLOAT_FIELDS,
    JSON_FIELDS,
    TABLES,
)
from ecociv.store.services.exchange_schema import ROW_MODELS, ROW_MODELS_BY_VERSION
from ecociv.store.services.upload_scan import scan_upload

META_SHEET = "export"
LONG_TEXT_SHEET = "long_text"
PIECE_CHARS = 30_000
LONG_MARK = "@long:"
_LONG_REF = re.compile(r"^@long:(\d+)$")


def write_export_xlsx(data: dict[str, Any], target: Path | BinaryIO) -> None:
    """Write *data* (an :func:`~.exchange.export_region` result) as a workbook."""
    workbook = Workbook()
    meta = workbook.active
    assert meta is not None
    meta.title = META_SHEET
    for key in ("format", "format_version", "region"):
        meta.append([key, data[key]])
    long_texts: list[str] = []
    for name, fields in TABLES.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(fields))
        for row in data["tables"][name]:
            sheet.append([_cell(row[field], field, long_texts) for field in fields])
            _keep_text(sheet)
    long_sheet = workbook.create_sheet(LONG_TEXT_SHEET)
    long_sheet.append(["ref", "piece", "text"])
    for ref, text in enumerate(long_texts):
        escaped = json.dumps(text, ensure_ascii=False)
        for number, start in enumerate(range(0, len(escaped), PIECE_CHARS)):
            long_sheet.append([ref, number, escaped[start : start + PIECE_CHARS]])
            _keep_text(long_sheet)
    workbook.save(target)


def read_export_xlsx(source: Path | BinaryIO) -> dict[str, Any]:
    """The export dict a workbook written by :func:`write_export_xlsx` holds (the sheets and
    columns of the format version its ``export`` sheet names: an older workbook lacks the
    later ones)."""
    scan_upload(source, where=str(source) if isinstance(source, Path) else "export.xlsx")
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
        for sheet in workbook.worksheets:  # read the stored rows, not a declared dimension
            sheet.reset_dimensions()
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise ValidationError(
            f"无法读取导出工作簿：{exc}",
            f"cannot read the export workbook: {exc}",
            where=str(source),
        ) from None
    try:
        if META_SHEET not in workbook.sheetnames:
            raise ValidationError(
                f"工作簿缺少 {META_SHEET} 工作表，不是 ecociv 导出文件",
                f"the workbook has no {META_SHEET} sheet; it is not an ecociv export",
            )
        meta = {
            row[0]: row[1] for row in workbook[META_SHEET].iter_rows(values_only=True) if row[0]
        }
        if meta.get("format") != EXPORT_FORMAT:
            raise ValidationError(
                "这不是 ecociv 行政区导出工作簿", "this is not an ecociv region export workbook"
            )
        long_texts = (
            _read_long_texts(workbook[LONG_TEXT_SHEET])
            if LONG_TEXT_SHEET in workbook.sheetnames
            else {}
        )
        version = meta.get("format_version")
        models = (
            ROW_MODELS_BY_VERSION.get(version, ROW_MODELS) if type(version) is int else ROW_MODELS
        )
        tables = {
            name: _read_table(workbook, name, tuple(model.model_fields), long_texts)
            for name, model in models.items()
        }
    finally:
        workbook.close()
    return {
        "format": meta.get("format"),
        "format_version": meta.get("format_version"),
        "region": meta.get("region"),
        "tables": tables,
    }


def _cell(value: Any, field: str, long_texts: list[str]) -> Any:
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)
    if field in JSON_FIELDS:
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and _needs_long(value):
        long_texts.append(value)
        return f"{LONG_MARK}{len(long_texts) - 1}"
    return value


def _needs_long(text: str) -> bool:
    return (
        len(text) > PIECE_CHARS
        or text.startswith("@")
        or ILLEGAL_CHARACTERS_RE.search(text) is not None
    )


def _keep_text(sheet: Worksheet) -> None:
    """Text starting with ``=`` stays text (openpyxl would otherwise write a formula)."""
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _read_long_texts(sheet: Any) -> dict[int, str]:
    pieces: dict[int, list[tuple[int, str]]] = {}
    try:
        for ref, number, text, *_ in sheet.iter_rows(min_row=2, values_only=True):
            pieces.setdefault(int(ref), []).append((int(number), str(text)))
        return {
            ref: json.loads("".join(text for _, text in sorted(parts)))
            for ref, parts in pieces.items()
        }
    except (TypeError, ValueError):
        raise ValidationError(
            f"工作表 {LONG_TEXT_SHEET} 损坏：应为 ref、piece、text 三列，text 拼接后为 JSON 文本",
            f"the sheet {LONG_TEXT_SHEET} is damaged: it needs ref, piece and text columns whose "
            "texts join into JSON text",
            where=LONG_TEXT_SHEET,
        ) from None


def _read_table(
    workbook: Any, name: str, fields: tuple[str, ...], long_texts: dict[int, str]
) -> list[dict[str, Any]]:
    if name not in workbook.sheetnames:
        raise ValidationError(f"工作簿缺少 {name} 工作表", f"the workbook has no {name} sheet")
    rows = workbook[name].iter_rows(values_only=True)
    header = tuple(next(rows, ()))
    if header[: len(fields)] != fields:
        raise ValidationError(
            f"工作表 {name} 的表头应为 {', '.join(fields)}",
            f"the sheet {name} must have the header {', '.join(fields)}",
            where=f"{name}!1",
        )
    records = []
    for number, values in enumerate(rows, start=2):
        if all(value is None for value in values):
            continue
        record = {}
        padded = (*values, *(None,) * (len(fields) - len(values)))  # trailing empty cells
        for field, value in zip(fields, padded, strict=False):
            record[field] = _value(value, field, long_texts, where=f"{name}!{number}")
        records.append(record)
    return records


def _value(value: Any, field: str, long_texts: dict[int, str], *, where: str) -> Any:
    if isinstance(value, str):
        match = _LONG_REF.match(value)
        if match:
            if int(match.group(1)) not in long_texts:
                raise ValidationError(
                    f"{field} 列引用的长文本 {value} 不在 {LONG_TEXT_SHEET} 工作表中",
                    f"the {field} column refers to {value}, which is not in the {LONG_TEXT_SHEET} sheet",
                    where=where,
                )
            value = long_texts[int(match.group(1))]
    if field in JSON_FIELDS and value is not None:
        try:
            return json.loads(value)
        except (TypeError, json.JSONDecodeError):
            raise ValidationError(
                f"{field} 列应为 JSON 文本", f"the {field} column must hold JSON text", where=where
            ) from None
    if field in FLOAT_FIELDS and isinstance(value, int | str) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            raise ValidationError(
                f"{field} 列应为数值", f"the {field} column must hold a number", where=where
            ) from None
    return value
