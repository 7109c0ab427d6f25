"""The grid of a Word table: merges (``w:gridSpan``, ``w:hMerge``, ``w:vMerge``) to spans.

ECMA-376 Part 1 §17.4: a row may skip grid columns before and after its cells
(``w:gridBefore``/``w:gridAfter``); a cell spans ``w:gridSpan`` columns; a vertical merge
is a ``restart`` cell followed, in the same grid column of the rows below, by ``continue``
cells.  The result is the Document model's rectangular grid: one origin cell per merge
with ``row_span``/``col_span``, and covered cells with ``merged_into``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

from ecociv.ingest.document import DocCell, DocTable
from ecociv.ingest.wordml import (
    FALLBACK,
    GRID_AFTER,
    GRID_BEFORE,
    GRID_SPAN,
    H_MERGE,
    RUN_TEXT_TAGS,
    TBL,
    TC,
    TR,
    V_MERGE,
    VAL,
    P,
    run_text,
    w,
)
from ecociv.model import SourceSpan

_RUN_TEXT = frozenset(RUN_TEXT_TAGS)
# Subtrees a scan skips: mc:Fallback, and the old property values of tracked changes.
_SKIPPED = (FALLBACK, w("tcPrChange"), w("trPrChange"), w("pPrChange"), w("rPrChange"))
_LAYOUT = (GRID_SPAN, V_MERGE, H_MERGE, GRID_BEFORE, GRID_AFTER)
_MAX_DIGITS = 12  # longer counts are over any cell budget; int() of 5,000 digits is refused
_SCAN_TAGS = (TR, TC, P, *RUN_TEXT_TAGS, *_LAYOUT, TBL, *_SKIPPED)


class CellSource(Protocol):
    """What the grid builder needs from the reader: nested tables and a place for notes."""

    file: str

    def nested_tables(
        self, elements: list[etree._Element], nested_out: list[DocTable]
    ) -> list[DocTable]: ...

    def note(self, code: str, zh: str, en: str, where: SourceSpan) -> None: ...


@dataclass
class CellScan:
    """One ``w:tc``: its grid span, merge states, text, and the tables nested in it."""

    span: int = 1
    vmerge: str | None = None  # "restart" | "continue" (also when w:val is absent, §17.4.85)
    hmerge: str | None = None
    parts: list[str] = field(default_factory=list)
    tables: list[etree._Element] = field(default_factory=list)
    has_paragraph: bool = False

    @property
    def text(self) -> str:
        """One line per paragraph, with trailing spaces and trailing empty lines dropped.

        Leading empty lines stay, so the cell reads as the Tika export of the same cell.
        """
        text = "".join(self.parts)
        if "\n" not in text:
            return text.rstrip()
        return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")


@dataclass
class RowScan:
    """One ``w:tr``: grid columns skipped before and after it, and its cells."""

    before: int = 0
    after: int = 0
    cells: list[CellScan] = field(default_factory=list)

    @property
    def width(self) -> int:
        return self.before + sum(cell.span for cell in self.cells) + self.after


def scan_table(tbl: etree._Element) -> list[RowScan]:
    """Rows, cells, spans, merges and cell text of *tbl* in one pass over its XML.

    Content controls and custom XML around rows, cells and runs are looked through; the
    subtrees of nested tables (kept as elements, for the caller), of ``mc:Fallback`` and of
    tracked property changes (``w:tcPrChange`` … hold the *old* spans) are skipped.  Each
    paragraph of a cell starts a new line.
    """
    rows: list[RowScan] = []
    row = RowScan()
    cell = CellScan()
    walker = etree.iterwalk(tbl, events=("start",), tag=_SCAN_TAGS)
    for _, element in walker:
        tag = element.tag
        if tag in _RUN_TEXT:
            cell.parts.append(run_text(element))
        elif tag == P:
            if cell.has_paragraph:
                cell.parts.append("\n")
            cell.has_paragraph = True
        elif tag == TC:
            cell = CellScan()
            row.cells.append(cell)
        elif tag == TR:
            row = RowScan()
            rows.append(row)
        elif tag == GRID_SPAN:
            cell.span = max(1, _count(element, "w:gridSpan", 1))
        elif tag == V_MERGE:
            cell.vmerge = element.get(VAL, "continue")
        elif tag == H_MERGE:
            cell.hmerge = element.get(VAL, "continue")
        elif tag == GRID_BEFORE:
            row.before = _count(element, "w:gridBefore", 0)
        elif tag == GRID_AFTER:
            row.after = _count(element, "w:gridAfter", 0)
        elif tag == TBL and element is tbl:
            continue
        else:  # a nested table, mc:Fallback, a tracked property change
            if tag == TBL:
                cell.tables.append(element)
            walker.skip_subtree()
    return rows


class LayoutValueError(ValueError):
    """A span or skip count (``w:gridSpan`` …) that is not a non-negative whole number."""

    def __init__(self, attribute: str, value: str) -> None:
        super().__init__(f"{attribute}={value!r}")
        self.attribute = attribute
        self.value = value


def _count(element: etree._Element, attribute: str, default: int) -> int:
    """The ``w:val`` of a span or skip count (ST_DecimalNumber, §17.18.10), checked."""
    value = element.get(VAL)
    if value is None:
        return default
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise LayoutValueError(attribute, value)
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


class GridBuilder:
    """Places cells on the grid, turning merges into origin spans and covered cells."""

    def __init__(
        self,
        walker: CellSource,
        table: int,
        n_rows: int,
        width: int,
        nested_out: list[DocTable],
    ) -> None:
        self.walker = walker
        self.table = table
        self.width = width
        self.nested_out = nested_out
        self.grid: list[list[DocCell | None]] = [[None] * width for _ in range(n_rows)]
        self.open_vertical: dict[int, tuple[int, int]] = {}

    def where(self, r: int, c: int) -> SourceSpan:
        return SourceSpan(file=self.walker.file, table=self.table, row=r, col=c)

    def add_row(self, r: int, row: RowScan) -> None:
        c = row.before
        touched: set[int] = set()
        row_origin: tuple[int, int] | None = None
        for scanned in row.cells:
            span, vmerge, hmerge, text = scanned.span, scanned.vmerge, scanned.hmerge, scanned.text
            nested = self.walker.nested_tables(scanned.tables, self.nested_out)
            if hmerge == "continue" and row_origin is not None:
                self._extend_right(row_origin, r, c, span, text, nested)
            elif vmerge == "continue" and self._can_extend_down(c, span):
                self._extend_down(self.open_vertical[c], r, c, span, text, nested)
            else:
                self._place(r, c, span, text, nested)
                row_origin = (r, c)
                for k in range(c, c + span):
                    self.open_vertical.pop(k, None)
                if vmerge is not None:
                    self.open_vertical[c] = (r, c)
            touched.update(range(c, c + span))
            c += span
        for col in list(self.open_vertical):
            if col not in touched:
                del self.open_vertical[col]

    def _can_extend_down(self, c: int, span: int) -> bool:
        origin = self.open_vertical.get(c)
        if origin is None:
            return False
        cell = self.grid[origin[0]][origin[1]]
        return cell is not None and cell.col_span == span

    def _place(self, r: int, c: int, span: int, text: str, nested: list[DocTable]) -> None:
        self.grid[r][c] = DocCell(text=text, where=self.where(r, c), col_span=span, nested=nested)
        for k in range(c + 1, c + span):
            self.grid[r][k] = DocCell(text="", where=self.where(r, k), merged_into=(r, c))

    def _extend_down(
        self, origin: tuple[int, int], r: int, c: int, span: int, text: str, nested: list[DocTable]
    ) -> None:
        cell = self._origin(origin, r, c, text, nested)
        cell.row_span = r - origin[0] + 1
        for k in range(c, c + span):
            self.grid[r][k] = DocCell(text="", where=self.where(r, k), merged_into=origin)

    def _extend_right(
        self, origin: tuple[int, int], r: int, c: int, span: int, text: str, nested: list[DocTable]
    ) -> None:
        cell = self._origin(origin, r, c, text, nested)
        cell.col_span = c + span - origin[1]
        for k in range(c, c + span):
            self.grid[r][k] = DocCell(text="", where=self.where(r, k), merged_into=origin)

    def _origin(
        self, origin: tuple[int, int], r: int, c: int, text: str, nested: list[DocTable]
    ) -> DocCell:
        """The origin cell of a merge; text found in a covered cell is kept, not dropped."""
        cell = self.grid[origin[0]][origin[1]]
        assert cell is not None
        if text:
            cell.text = f"{cell.text}\n{text}" if cell.text else text
            self.walker.note(
                "docx_merged_cell_text",
                "合并单元格的被合并部分含有文字，已并入合并区域左上角单元格",
                "a covered part of a merged cell holds text; it was appended to the merge origin",
                self.where(r, c),
            )
        cell.nested.extend(nested)
        return cell

    def finish(self) -> list[list[DocCell]]:
        """The grid with every position filled (``w:gridBefore``/``After`` gaps are empty)."""
        return [
            [
                cell if cell is not None else DocCell(text="", where=self.where(r, c))
                for c, cell in enumerate(row)
            ]
            for r, row in enumerate(self.grid)
        ]
