"""Read an Excel .xlsx workbook into a :class:`~ecociv.ingest.document.Document`.

Every sheet (hidden ones too, with an ``info`` diagnostic) becomes a heading block (level 1, the sheet name) followed by its tables: the
used range is cut into tables at fully blank rows (a row covered by a merged range is not
blank).  Merged ranges become origin spans and covered cells, as in the .docx reader.  A
table whose first row is a single caption cell (``表1 …``) gets it as its caption; rows
after it that are single note cells (``注：…``) become its notes.

Cell values are rendered as a person reads them in Excel: integers without ``.0``, floats
to 15 significant digits (Excel's display precision, so ``25.600000000000001`` reads
``25.6``), percentage formats as percentages, dates and times in ISO 8601.  A formula whose
result was never computed (a workbook written by a program and never opened in Excel) is
kept as its formula text, with a diagnostic.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ecociv.ingest.budget import CellBudget
from ecociv.ingest.cell_count import count_in_zip, is_worksheet
from ecociv.ingest.document import Block, DocCell, DocTable, Document
from ecociv.ingest.limits import MAX_CELLS_ENV, max_cells
from ecociv.ingest.source_file import sha256_of
from ecociv.ingest.table_captions import is_caption, is_note_continuation, is_note_start
from ecociv.ingest.xlsx_load import SkippedSheet, WorkbookSource, load_readable, open_workbook
from ecociv.model import Diagnostic, SourceSpan

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SIGNIFICANT_DIGITS = 15  # Excel shows at most 15 significant digits


def read_xlsx(path: str | Path) -> Document:
    """Read every sheet of *path* (an .xlsx file); damaged files raise :class:`InputError`.

    A sheet openpyxl cannot read is left out with an ``xlsx_damaged_sheet`` error diagnostic
    (:mod:`ecociv.ingest.xlsx_load`); the other sheets are read.
    """
    path = Path(path)
    values, source = load_readable(path)
    try:
        formulas = _uncomputed_formulas(source, values) if _has_formulas(path) else {}
        document = Document(
            path=str(path),
            format="xlsx",
            sha256=sha256_of(path),
            size_bytes=path.stat().st_size,
            title=values.properties.title or None,  # a workbook has no cover: its title property
        )
        document.diagnostics.extend(_skipped_diagnostic(str(path), s) for s in source.skipped)
        reader = _SheetReader(document, formulas, CellBudget(max_cells(), MAX_CELLS_ENV, str(path)))
        for sheet in values.worksheets:
            reader.read(sheet)
    finally:
        values.close()
    return document


def _skipped_diagnostic(file: str, skipped: SkippedSheet) -> Diagnostic:
    return Diagnostic(
        code="xlsx_damaged_sheet",
        severity="error",
        message_zh=f"工作表已损坏，未读取（{skipped.reason.split(':')[0]}）；其余工作表已读取",
        message_en=f"the sheet is damaged and was not read ({skipped.reason}); "
        "the other sheets were read",
        where=SourceSpan(file=file, sheet=skipped.name),
    )


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet XML holds a formula element (``<f>``), found by a streaming scan."""
    return count_in_zip(path, is_worksheet, _FORMULA_TAG, stop_after=1) > 0


def _uncomputed_formulas(source: WorkbookSource, values: Any) -> dict[tuple[str, str], str]:
    """Formulas of cells whose value view is empty, by (sheet, cell ref).

    openpyxl shows either cached results or formulas, never both; a second load, of the
    formula view, finds the formulas that have no cached result.  It runs only when a
    worksheet holds formulas at all (:func:`_has_formulas`), and reads only the cells stored
    in the file: openpyxl's row iterators pad to the declared dimension and row numbers,
    which a damaged file can make billions.
    """
    formulas: dict[tuple[str, str], str] = {}
    with open_workbook(source, data_only=False) as book:
        for sheet in book.worksheets:
            value_cells = values[sheet.title]._cells
            for key, cell in sheet._cells.items():
                if cell.data_type != "f":
                    continue
                value = value_cells.get(key)
                if value is None or value.value is None:
                    formulas[(sheet.title, cell.coordinate)] = str(cell.value)
    return formulas


def render_value(value: Any, number_format: str = "General") -> str:
    """The text a person reads in the cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if "%" in number_format:
            return f"{_render_number(value * 100)}%"
        return _render_number(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _render_number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value, f".{_SIGNIFICANT_DIGITS}g")
    if "e" in text:
        exponent = text.split("e")[1]
        if -5 < int(exponent) < 21:  # spell out the digits, as Excel's General format does
            text = format(value, f".{max(0, _SIGNIFICANT_DIGITS - 1 - int(exponent))}f")
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _SheetReader:
    """Turns sheets into heading blocks and tables on one Document."""

    def __init__(
        self, document: Document, formulas: dict[tuple[str, str], str], budget: CellBudget
    ) -> None:
        self.document = document
        self.formulas = formulas
        self.budget = budget
        self.table_index = 0

    def read(self, sheet: Worksheet) -> None:
        where = SourceSpan(file=self.document.path, sheet=sheet.title)
        blocks = self.document.blocks
        blocks.append(Block(kind="heading", where=where, text=sheet.title, level=1))
        if sheet.sheet_state != "visible":
            self.document.diagnostics.append(
                Diagnostic(
                    code="xlsx_hidden_sheet",
                    severity="info",
                    message_zh="工作表在 Excel 中是隐藏的，其内容仍已读取",
                    message_en="the sheet is hidden in Excel; its content was read all the same",
                    where=where,
                )
            )
        grid = _SheetGrid(sheet, self)
        pending_caption: str | None = None
        for first, last in grid.row_runs():
            table = grid.table(first, last, self.table_index)
            if not table.rows:  # a caption or notes alone, separated by blank rows
                pending_caption = table.caption or pending_caption
                if blocks[-1].table is not None:
                    blocks[-1].table.notes.extend(table.notes)
                else:
                    blocks.extend(Block(kind="paragraph", where=where, text=n) for n in table.notes)
                continue
            if not any(cell.text for row in table.rows for cell in row):
                continue  # merged or formatted cells without any text
            if table.n_rows == table.n_cols == 1 and table.caption is None and not table.notes:
                cell = table.rows[0][0]
                blocks.append(Block(kind="paragraph", where=cell.where, text=cell.text))
                continue
            table.caption = table.caption or pending_caption
            pending_caption = None
            self.table_index += 1
            blocks.append(Block(kind="table", where=table.where, table=table))

    def text_of(self, sheet: Worksheet, cell: Any) -> str:
        if cell.value is None:
            formula = self.formulas.get((sheet.title, cell.coordinate))
            if formula is not None:
                self.document.diagnostics.append(
                    Diagnostic(
                        code="xlsx_formula_without_value",
                        message_zh="公式没有保存计算结果，按公式文本保留；请在 Excel 中打开并保存后重试",
                        message_en="the formula has no saved result and is kept as its text; "
                        "open and save the workbook in Excel to get values",
                        where=SourceSpan(
                            file=self.document.path, sheet=sheet.title, cell_ref=cell.coordinate
                        ),
                        text=formula,
                    )
                )
                return formula
        return render_value(cell.value, cell.number_format or "General")


class _SheetGrid:
    """The used range of one sheet, its merged ranges, and its cut into tables."""

    def __init__(self, sheet: Worksheet, reader: _SheetReader) -> None:
        self.sheet = sheet
        self.reader = reader
        self.texts: dict[tuple[int, int], str] = {}
        # The cells stored in the file only: iter_rows() would create every position of the
        # used range, which a single stray far-away cell makes huge.
        for cell in sheet._cells.values():
            if cell.value is not None or (sheet.title, cell.coordinate) in reader.formulas:
                text = reader.text_of(sheet, cell)
                if text:
                    self.texts[(cell.row, cell.column)] = text
        # (origin row, origin col) -> (last row, last col); covered -> origin.  A merge is
        # clipped to the rows and columns that hold text: beyond them it covers nothing.
        self.spans: dict[tuple[int, int], tuple[int, int]] = {}
        self.covered: dict[tuple[int, int], tuple[int, int]] = {}
        last_row = max((r for r, _ in self.texts), default=0)
        last_col = max((c for _, c in self.texts), default=0)
        for merged in sheet.merged_cells.ranges:
            origin = (merged.min_row, merged.min_col)
            end_row = min(merged.max_row, max(last_row, merged.min_row))
            end_col = min(merged.max_col, max(last_col, merged.min_col))
            reader.budget.take(
                end_row - merged.min_row + 1,
                end_col - merged.min_col + 1,
                table_zh=f"工作表“{sheet.title}”的合并区域 {merged.coord}",
                table_en=f"the merged range {merged.coord} of sheet {sheet.title!r}",
                declared="mergeCell",
            )
            self.spans[origin] = (end_row, end_col)
            for r in range(merged.min_row, end_row + 1):
                for c in range(merged.min_col, end_col + 1):
                    if (r, c) != origin:
                        self.covered[(r, c)] = origin
        self.columns_by_row: dict[int, list[int]] = {}
        for r, c in set(self.texts) | set(self.spans) | set(self.covered):
            self.columns_by_row.setdefault(r, []).append(c)
        self.row_texts: dict[int, list[tuple[int, str]]] = {}
        for (r, c), text in sorted(self.texts.items()):
            self.row_texts.setdefault(r, []).append((c, text))

    def row_runs(self) -> list[tuple[int, int]]:
        """Runs of consecutive non-blank rows, as (first, last) sheet row numbers."""
        rows = sorted(self.columns_by_row)
        runs: list[tuple[int, int]] = []
        for r in rows:
            if runs and runs[-1][1] == r - 1:
                runs[-1] = (runs[-1][0], r)
            else:
                runs.append((r, r))
        return runs

    def table(self, first: int, last: int, index: int) -> DocTable:
        """The table of sheet rows *first*..*last*, caption and notes taken off (may be empty)."""
        caption = self.single_text(first)
        if caption is not None and is_caption(caption):
            first += 1
        else:
            caption = None
        tail: list[tuple[int, str]] = []
        r = last
        while r >= first and (text := self.single_text(r)) is not None:
            tail.insert(0, (r, text))
            r -= 1
        notes: list[str] = []
        for k, (r, text) in enumerate(tail):
            rest = [t for _, t in tail[k + 1 :]]
            if is_note_start(text) and all(
                is_note_start(t) or is_note_continuation(t) for t in rest
            ):
                notes = [text, *rest]
                last = r - 1
                break
        rows = []
        if first <= last:
            cols = [c for r in range(first, last + 1) for c in self.columns_by_row.get(r, ())]
            left, right = min(cols), max(cols)
            self.reader.budget.take(
                last - first + 1,
                right - left + 1,
                table_zh=f"工作表“{self.sheet.title}”第 {first}–{last} 行的表格",
                table_en=f"the table in rows {first}-{last} of sheet {self.sheet.title!r}",
                declared="the cell references",
            )
            rows = [
                [self._cell(index, first, left, r, c) for c in range(left, right + 1)]
                for r in range(first, last + 1)
            ]
        return DocTable(rows=rows, where=self._where(index), caption=caption, notes=notes)

    def single_text(self, r: int) -> str | None:
        """The text of row *r* when it has exactly one filled cell, not merged downwards."""
        filled = self.row_texts.get(r, [])
        if len(filled) != 1:
            return None
        c, text = filled[0]
        if self.spans.get((r, c), (r, c))[0] != r:
            return None
        return text

    def _where(self, index: int) -> SourceSpan:
        return SourceSpan(file=self.reader.document.path, sheet=self.sheet.title, table=index)

    def _cell(self, index: int, top: int, left: int, r: int, c: int) -> DocCell:
        where = SourceSpan(
            file=self.reader.document.path,
            sheet=self.sheet.title,
            table=index,
            row=r - top,
            col=c - left,
            cell_ref=f"{get_column_letter(c)}{r}",
        )
        origin = self.covered.get((r, c))
        if origin is not None:
            return DocCell(text="", where=where, merged_into=(origin[0] - top, origin[1] - left))
        end = self.spans.get((r, c), (r, c))
        return DocCell(
            text=self.texts.get((r, c), ""),
            where=where,
            row_span=end[0] - r + 1,
            col_span=end[1] - c + 1,
        )
