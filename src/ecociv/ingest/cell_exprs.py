"""The parsed expression (``Cell.expr``) of every value cell of indicator and review tables.

A column's role decides how its cells are read (``docs/plan-json.md``, ``Cell.expr``):

* requirement columns — ``standard`` (指标值, 国家级指标要求 …) and ``target`` (目标值, 2025年)
  — with :func:`ecociv.expr.parse`;
* observed-value columns — ``baseline`` (现状值) and ``value`` (a past year's measured value
  in a review table) — with :func:`ecociv.expr.parse_value`.

Every other column (name, unit, seq, attribute, verdict, note …) holds no value and keeps
``expr`` null, as does an empty cell.  Sub-items are read like their parent rows.

A value whose trailing digit ingestion flagged as a footnote mark (``footnote_fused``) is read
with that mark split off (``8.481`` → 8.48, note 1).  A cell left as ``Text`` gets a
``cell_unparsed`` warning with the reasons; the parser's other warnings are added unless
ingestion already flagged the same cell (``leading_digit``, ``footnote_fused``).  Its ``info``
notes (how the lines were read as items) are not repeated: the expression shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ecociv.expr import ExprDiagnostic, ParseResult, parse, parse_value, to_json
from ecociv.ingest.document import DocTable
from ecociv.model import Cell, Diagnostic, IndicatorRow, PlanTable, SourceSpan


def _parse_requirement(text: str, _footnote_marks: tuple[str, ...]) -> ParseResult:
    return parse(text)


# column role → (parser, what the cell states, in Chinese and English)
ROLE_READERS: dict[str, tuple[Callable[[str, tuple[str, ...]], ParseResult], str, str]] = {
    "standard": (_parse_requirement, "标准要求", "standard requirement"),
    "target": (_parse_requirement, "目标", "target"),
    "baseline": (parse_value, "现状值", "baseline value"),
    "value": (parse_value, "实际值", "measured value"),
}
_UNREADABLE = "expr.unreadable"
# ingest findings about a value cell that the parser's warnings would repeat
_FLAGS_ON_VALUES = ("footnote_fused", "leading_digit")


@dataclass(frozen=True)
class Reading:
    """One cell text read once: the expression as JSON, and what the parser said."""

    expr: dict[str, Any]
    diagnostics: tuple[ExprDiagnostic, ...]
    ok: bool


class CellReader:
    """Reads the value cells of one plan; a text already read for the same role is not
    parsed again (plans repeat ``100``, ``≥90``, ``持续提高`` …).

    Cells with the same text share one ``expr`` dict: treat it as read-only.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, tuple[str, ...]], Reading] = {}

    def read(self, text: str, role: str, footnote_marks: tuple[str, ...] = ()) -> Reading:
        """The reading of *text* in a column of *role* (a key of :data:`ROLE_READERS`)."""
        key = (text, role, footnote_marks)
        reading = self._seen.get(key)
        if reading is None:
            result = ROLE_READERS[role][0](text, footnote_marks)
            reading = Reading(to_json(result.expr), result.diagnostics, result.ok)
            self._seen[key] = reading
        return reading


def attach_exprs(
    table: PlanTable, doc_table: DocTable, findings: list[Diagnostic], reader: CellReader
) -> list[Diagnostic]:
    """Set ``expr`` on every value cell of *table* (an indicator or review table built from
    *doc_table*, with the ingest *findings* of its rows); return the new diagnostics."""
    roles = {c.key: c.role for c in table.columns if c.role in ROLE_READERS}
    if not roles:
        return []
    flagged = {
        (d.code, d.column, d.text)
        for d in findings
        if d.table == table.index and d.code in _FLAGS_ON_VALUES
    }
    rows_by_span = _doc_rows(doc_table)
    diagnostics: list[Diagnostic] = []
    seen: set[int] = set()
    for row, row_index in _rows(table, rows_by_span):
        for key, cell in row.cells.items():
            role = roles.get(key)
            if role is None or id(cell) in seen or not cell.text.strip():
                continue
            seen.add(id(cell))
            text = cell.text.strip()
            marks = (text[-1],) if ("footnote_fused", key, text) in flagged else ()
            reading = reader.read(cell.text, role, marks)
            cell.expr = reading.expr
            where = {"table": table.index, "row": row_index, "column": key}
            if not reading.ok:
                diagnostics.append(_unparsed(cell, role, reading, where))
            elif not any((code, key, text) in flagged for code in _FLAGS_ON_VALUES):
                diagnostics.extend(
                    d.to_model(cell.text, where=cell.where, **where)
                    for d in reading.diagnostics
                    if d.severity != "info"
                )
    return diagnostics


def _unparsed(cell: Cell, role: str, reading: Reading, where: dict[str, Any]) -> Diagnostic:
    """The ``cell_unparsed`` warning of a value cell left as ``Text``, with each reason."""
    reasons = [d for d in reading.diagnostics if d.code == _UNREADABLE] or list(reading.diagnostics)
    zh = "；".join(f"第{d.line}行第{d.column}列：{d.message_zh}" for d in reasons)
    en = "; ".join(f"line {d.line}, column {d.column}: {d.message_en}" for d in reasons)
    if not reasons:
        zh, en = (part.strip() for part in reading.expr.get("reason", " / ").split(" / ", 1))
    _, what_zh, what_en = ROLE_READERS[role]
    return Diagnostic(
        code="cell_unparsed",
        severity="warning",
        message_zh=f"{what_zh}单元格未能读成表达式，保留原文（{zh}），请人工核对",
        message_en=f"the {what_en} cell could not be read as an expression and is kept "
        f"verbatim ({en}); check it by hand",
        where=cell.where,
        text=cell.text,
        **where,
    )


def _span_key(where: SourceSpan | None) -> tuple[Any, ...] | None:
    if where is None:
        return None
    return (
        where.line_start,
        where.line_end,
        where.paragraph,
        where.table,
        where.row,
        where.col,
        where.sheet,
        where.cell_ref,
    )


def _doc_rows(doc_table: DocTable) -> dict[tuple[Any, ...] | None, int]:
    """Row index (header rows counted) of each source location in *doc_table*."""
    rows: dict[tuple[Any, ...] | None, int] = {}
    for r, doc_row in enumerate(doc_table.rows):
        for doc_cell in doc_row:
            rows.setdefault(_span_key(doc_cell.where), r)
    return rows


def _rows(
    table: PlanTable, rows_by_span: dict[tuple[Any, ...] | None, int]
) -> Iterator[tuple[IndicatorRow, int | None]]:
    """Every indicator row of *table*, sub-items after their parent, with the row index of
    the source table it came from (a sub-item shares its parent's)."""
    for row in table.rows:
        if not isinstance(row, IndicatorRow):
            continue
        keys = [_span_key(cell.where) for cell in row.cells.values()]
        index = next((rows_by_span[k] for k in keys if k in rows_by_span), None)
        yield row, index
        yield from _subitems(row, index)


def _subitems(row: IndicatorRow, index: int | None) -> Iterator[tuple[IndicatorRow, int | None]]:
    for item in row.subitems:
        yield item, index
        yield from _subitems(item, index)
