"""What the rules read: the ingested plan, its prose lines, and plain views of its rows.

Nothing here re-reads the document: tables, rows and parsed cells come from the
:class:`~ecociv.model.Plan`; prose comes from the paragraphs and headings of the
:class:`~ecociv.ingest.document.Document` the plan was classified from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ecociv.check.findings import Location
from ecociv.expr import ast, from_json
from ecociv.expr.vocab import vocabulary
from ecociv.model import Cell, Column, IndicatorRow, Plan, PlanTable, ProjectRow, SourceSpan


@dataclass(frozen=True, slots=True)
class ProseLine:
    """A paragraph or heading of the body text, with where it is."""

    text: str
    where: SourceSpan


@dataclass
class CheckInput:
    """A plan and its body text, as the rules see them."""

    plan: Plan
    prose: list[ProseLine] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.plan.source.path


@dataclass(frozen=True, slots=True)
class RowRef:
    """An indicator row (or sub-item) of a table, with the index of its top-level row."""

    table: PlanTable
    index: int
    row: IndicatorRow
    parent: IndicatorRow | None = None

    def columns(self, role: str) -> list[Column]:
        return [c for c in self.table.columns if c.role == role and c.key in self.row.cells]

    def location(self, column: str | None = None, *, text: str | None = None) -> Location:
        cell = self.row.cells.get(column) if column else None
        where = cell.where if cell is not None else _row_where(self.row)
        return Location(
            file=where.file if where else None,
            line_start=where.line_start if where else None,
            line_end=where.line_end if where else None,
            paragraph=where.paragraph if where else None,
            table=self.table.index,
            caption=self.table.caption,
            row=self.index,
            seq=self.row.seq,
            name=self.row.name,
            column=column,
            text=text if text is not None else (cell.text if cell is not None else None),
        )


def _row_where(row: IndicatorRow | ProjectRow) -> SourceSpan | None:
    spans = [c.where for c in row.cells.values() if c.where is not None]
    if not spans:
        return None
    first = spans[0]
    lines = [s.line_start for s in spans if s.line_start is not None]
    ends = [s.line_end for s in spans if s.line_end is not None]
    return first.model_copy(
        update={
            "line_start": min(lines) if lines else None,
            "line_end": max(ends) if ends else None,
        }
    )


def indicator_rows(plan: Plan) -> Iterator[RowRef]:
    """Every measured row of every indicator and review table: sub-items in place of a parent
    that has them."""
    for table in plan.tables:
        if table.kind not in ("indicator", "review"):
            continue
        for index, row in enumerate(table.rows):
            if not isinstance(row, IndicatorRow):
                continue
            if row.subitems:
                for sub in row.subitems:
                    yield RowRef(table, index, sub, row)
            else:
                yield RowRef(table, index, row)


def project_rows(plan: Plan) -> Iterator[tuple[PlanTable, int, ProjectRow]]:
    """Every named project row of every project table (a row without a name is not judged)."""
    for table in plan.tables:
        if table.kind == "project":
            for index, row in enumerate(table.rows):
                if isinstance(row, ProjectRow) and row.name.strip():
                    yield table, index, row


def project_location(
    table: PlanTable, index: int, row: ProjectRow, column: str | None = None
) -> Location:
    cell = row.cells.get(column) if column else row.cells.get("name")
    where = cell.where if cell is not None and cell.where is not None else _row_where(row)
    return Location(
        file=where.file if where else None,
        line_start=where.line_start if where else None,
        line_end=where.line_end if where else None,
        paragraph=where.paragraph if where else None,
        table=table.index,
        caption=table.caption,
        row=index,
        seq=row.seq,
        name=row.name,
        column=column,
        text=cell.text if cell is not None else None,
    )


def table_location(table: PlanTable, text: str | None = None) -> Location:
    where = table.where
    return Location(
        file=where.file if where else None,
        line_start=where.line_start if where else None,
        line_end=where.line_end if where else None,
        paragraph=where.paragraph if where else None,
        table=table.index,
        caption=table.caption,
        text=text,
    )


def prose_location(line: ProseLine, text: str) -> Location:
    return Location(
        file=line.where.file,
        line_start=line.where.line_start,
        line_end=line.where.line_end,
        paragraph=line.where.paragraph,
        text=text,
    )


def expr_of(cell: Cell | None) -> ast.Expr | None:
    """The parsed expression of a value cell, or None (not parsed, empty, ``--no-exprs``)."""
    if cell is None or cell.expr is None:
        return None
    return from_json(cell.expr)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A single number read from a cell: value, canonical unit (or None) and operator."""

    value: Decimal
    unit: str | None
    op: str | None = None
    approximate: bool = False


def quantity(expr: ast.Expr | None) -> Quantity | None:
    """The one number a cell states (``35``, ``≥88``, ``29µg/m3``, ``约90``), or None.

    Compound cells (items, scopes, alternatives, trends, brackets of cumulative years) give
    None: they do not state one comparable number.
    """
    approximate = False
    while isinstance(expr, (ast.Annotated, ast.Named)):
        if isinstance(expr, ast.Annotated) and expr.note in ("约", "左右"):
            approximate = True
        expr = expr.expr
    if isinstance(expr, ast.AllOf) and isinstance(expr.parts[0], (ast.Number, ast.Comparison)):
        if not any(isinstance(p, (ast.Number, ast.Comparison)) for p in expr.parts[1:]):
            expr = expr.parts[0]
    if isinstance(expr, ast.Statement) and expr.actual is not None:
        return quantity(expr.actual)
    if isinstance(expr, ast.Number):
        return Quantity(expr.value, expr.unit, None, approximate)
    if isinstance(expr, ast.Comparison):
        return Quantity(expr.value, expr.unit, expr.op, approximate)
    return None


def unit_of(text: str | None) -> tuple[str, Decimal] | None:
    """The canonical unit of a row's unit text and the factor to it (亿元 → 万元 × 10 000);
    None for no unit, a dash, or a unit the vocabulary does not know."""
    if not text:
        return None
    written = "".join(text.split()).replace("％", "%")
    known = vocabulary().units.get(written)
    return (known.canonical, known.factor) if known is not None else None


def in_row_unit(q: Quantity, row_unit: str | None) -> Quantity:
    """*q* in canonical units: a bare number takes its row's unit (亿元 → 万元 × 10 000); a
    number the cell gives with a unit is canonical already (``ecociv.expr`` converts it)."""
    known = unit_of(row_unit)
    if q.unit is not None or known is None:
        return q
    return Quantity(q.value * known[1], known[0], q.op, q.approximate)
