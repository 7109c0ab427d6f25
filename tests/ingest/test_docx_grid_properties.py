"""Property test: any rectangle merges python-docx makes come back as the same grid.

Random tables with random non-overlapping merged rectangles are written with python-docx's
own ``merge`` (real ``w:gridSpan`` + ``w:vMerge`` markup) and read back: the grid stays
rectangular, every merge is one origin with its spans and covered cells pointing at it, and
no cell text is lost.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.ingest.docx import read_docx

Rect = tuple[int, int, int, int]  # top, left, bottom, right (inclusive)


@st.composite
def tables_with_merges(draw) -> tuple[int, int, list[Rect]]:
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 5))
    taken: set[tuple[int, int]] = set()
    rects: list[Rect] = []
    for _ in range(draw(st.integers(0, 3))):
        top = draw(st.integers(0, n_rows - 1))
        left = draw(st.integers(0, n_cols - 1))
        bottom = draw(st.integers(top, n_rows - 1))
        right = draw(st.integers(left, n_cols - 1))
        cells = {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            rects.append((top, left, bottom, right))
    return n_rows, n_cols, rects


@settings(max_examples=25, deadline=None)
@given(tables_with_merges())
def test_merged_rectangles_round_trip(case):
    n_rows, n_cols, rects = case
    document = docx.Document()
    table = document.add_table(rows=n_rows, cols=n_cols)
    grid = [row.cells for row in table.rows]
    for r in range(n_rows):
        for c in range(n_cols):
            grid[r][c].text = f"r{r}c{c}"
    for top, left, bottom, right in rects:
        grid[top][left].merge(grid[bottom][right])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merged.docx"
        document.save(str(path))
        read = read_docx(path).tables[0]

    assert read.n_rows == n_rows and all(len(row) == n_cols for row in read.rows)
    in_rect: dict[tuple[int, int], Rect] = {}
    for rect in rects:
        top, left, bottom, right = rect
        origin = read.rows[top][left]
        assert (origin.row_span, origin.col_span) == (bottom - top + 1, right - left + 1)
        texts = {f"r{r}c{c}" for r in range(top, bottom + 1) for c in range(left, right + 1)}
        assert set(origin.text.split("\n")) == texts  # python-docx moved them all in
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                in_rect[(r, c)] = rect
                if (r, c) != (top, left):
                    assert read.rows[r][c].merged_into == (top, left)
                    assert read.rows[r][c].text == ""
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in in_rect:
                cell = read.rows[r][c]
                assert (cell.text, cell.row_span, cell.col_span) == (f"r{r}c{c}", 1, 1)
                assert cell.merged_into is None
