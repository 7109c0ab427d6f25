"""Join a table that a page break cut in two back into one.

A table that runs over a page often comes out as two tables: the second one repeats the
header rows, carries a caption starting with 续表, or simply goes on with data rows.  When
two tables follow each other with nothing between them and the second has no caption of its
own (or a 续表 caption), and either repeats the first one's header, or is captioned 续表 with
the same number of columns, or has the same number of columns (three or more) and opens with
a row that does not read as a header (:func:`ecociv.ingest.header_rows.reads_like_header`),
its rows are appended to the first table (the repeated header rows left out), so
that fill-down and numbering run on across the break.  An ``info`` diagnostic records each
join, with the 续表 caption as its text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ecociv.ingest.document import Block, DocTable
from ecociv.ingest.header_rows import reads_like_header
from ecociv.model import Diagnostic

_CONTINUED = re.compile(r"^\s*续表")
_HEADER_ROWS_COMPARED = 2
_MIN_COLUMNS = 3
_SEQ = re.compile(r"^\d{1,3}$")
_HEADER_MAX_CHARS = 16


def join_continued_tables(blocks: list[Block]) -> tuple[list[DocTable], list[Diagnostic]]:
    """The document's tables with continuations joined, and one diagnostic per join."""
    tables: list[DocTable] = []
    diagnostics: list[Diagnostic] = []
    previous_was_table = False
    for block in blocks:
        table = block.table
        if table is None:
            previous_was_table = False
            continue
        if previous_was_table and tables:
            repeated = _continues(tables[-1], table)
            if repeated is not None:
                tables[-1] = _joined(tables[-1], table, repeated)
                diagnostics.append(_joined_diagnostic(len(tables) - 1, table))
                continue
        tables.append(table)
        previous_was_table = True
    return tables, diagnostics


def _texts(row: list) -> list[str]:
    return [cell.text.strip() for cell in row]


def _continues(first: DocTable, second: DocTable) -> int | None:
    """How many header rows *second* repeats, when it continues *first*; else ``None``."""
    caption = second.caption or ""
    if caption and not _CONTINUED.match(caption):
        return None
    repeated = 0
    for a, b in zip(first.rows[:_HEADER_ROWS_COMPARED], second.rows, strict=False):
        if _texts(a) != _texts(b):
            break
        repeated += 1
    if repeated:
        return repeated
    if caption and first.n_cols == second.n_cols:
        return 0
    if first.n_cols == second.n_cols >= _MIN_COLUMNS and second.rows and _opens_with_data(second):
        return 0
    return None


def _opens_with_data(table: DocTable) -> bool:
    """The first row is data: a 序号 in it, or fewer than half of its filled cells read like
    header text (short, header words; a long cell is data whatever words it holds)."""
    filled = [c.text.strip() for c in table.rows[0] if c.text.strip()]
    if any(_SEQ.match(text) for text in filled):
        return True
    headerish = sum(1 for t in filled if len(t) <= _HEADER_MAX_CHARS and reads_like_header(t))
    return bool(filled) and 2 * headerish < len(filled)


def _joined(first: DocTable, second: DocTable, repeated: int) -> DocTable:
    where = first.where.model_copy(
        update={"line_end": second.where.line_end} if second.where.line_end else {}
    )
    offset = len(first.rows) - repeated
    moved = [
        [
            replace(cell, merged_into=(cell.merged_into[0] + offset, cell.merged_into[1]))
            if cell.merged_into is not None and cell.merged_into[0] >= repeated
            else cell
            for cell in row
        ]
        for row in second.rows[repeated:]
    ]
    return DocTable(
        rows=[*first.rows, *moved],
        where=where,
        caption=first.caption,
        notes=[*first.notes, *second.notes],
    )


def _joined_diagnostic(index: int, second: DocTable) -> Diagnostic:
    return Diagnostic(
        code="table_continued",
        severity="info",
        message_zh="紧接的续表（跨页断开）已并入上一个表格",
        message_en="a continued table (cut by a page break) is joined to the table before it",
        where=second.where,
        table=index,
        text=second.caption,
    )
