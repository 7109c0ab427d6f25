"""The grid of a Word table: merges (``w:gridSpan``, ``w:hMerge``, ``w:vMerge``) to spans.

ECMA-376 Part 1 §17.4: a row may skip grid columns before and after its cells
(``w:gridBefore``/``w:gridAfter``); a cell spans ``w:gridSpan`` columns; a vertical merge
is a ``restart`` cell followed, in the same grid column of the rows below, by ``continue``
cells.  The result is the Document model's rectangular grid: one origin cell per merge
with ``row_span``/``col_span``, and covered cells with ``merged_into``.
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from ecociv.ingest.document import DocCell, DocTable
from ecociv.ingest.wordml import (
    GRID_AFTER,
    GRID_BEFORE,
    GRID_SPAN,
    H_MERGE,
    TC,
    TCPR,
    TRPR,
    V_MERGE,
    VAL,
    children,
)
from ecociv.model import SourceSpan


class CellSource(Protocol):
    """What the grid builder needs from the reader: cell content and a place for notes."""

    file: str

    def cell_content(
        self, tc: etree._Element, nested_out: list[DocTable]
    ) -> tuple[str, list[DocTable]]: ...

    def note(self, code: str, zh: str, en: str, where: SourceSpan) -> None: ...


class RowLayout:
    """One ``w:tr``: the grid columns skipped before it and its cells with their spans."""

    def __init__(self, tr: etree._Element) -> None:
        self.before = self.after = 0
        for props in tr.iterchildren(TRPR):
            for child in props:
                if child.tag == GRID_BEFORE:
                    self.before = int(child.get(VAL, 0))
                elif child.tag == GRID_AFTER:
                    self.after = int(child.get(VAL, 0))
        self.cells = [(tc, *cell_layout(tc)) for tc in children(tr, TC)]
        self.width = self.before + sum(span for _, span, _, _ in self.cells) + self.after


def cell_layout(tc: etree._Element) -> tuple[int, str | None, str | None]:
    """Grid span, vertical and horizontal merge state (``"restart"``/``"continue"``/None).

    A merge element without ``w:val`` means ``continue`` (ECMA-376 §17.4.85).
    """
    span, vertical, horizontal = 1, None, None
    for props in tc.iterchildren(TCPR):
        for child in props:
            if child.tag == GRID_SPAN:
                span = max(1, int(child.get(VAL, 1)))
            elif child.tag == V_MERGE:
                vertical = child.get(VAL, "continue")
            elif child.tag == H_MERGE:
                horizontal = child.get(VAL, "continue")
    return span, vertical, horizontal


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

    def add_row(self, r: int, row: RowLayout) -> None:
        c = row.before
        touched: set[int] = set()
        row_origin: tuple[int, int] | None = None
        for tc, span, vmerge, hmerge in row.cells:
            text, nested = self.walker.cell_content(tc, self.nested_out)
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
