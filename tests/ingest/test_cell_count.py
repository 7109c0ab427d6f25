"""Streaming cell counts: exact across chunk edges, early stop, all three formats."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from fixture_builders import plan_text_twin, write_plan_docx, write_plan_xlsx

from ecociv.ingest import cell_count
from ecociv.ingest.cell_count import count_cells, count_matches


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_matches_cut_by_chunk_edges_are_counted_once(monkeypatch, chunk):
    monkeypatch.setattr(cell_count, "_CHUNK", chunk)
    data = b"<w:tc>" + b"<w:tcPr/><w:tc w:x='1'>x" * 50 + b"<w:tc>"
    pattern = re.compile(rb"<(?:\w+:)?tc[\s>]")
    assert count_matches(io.BytesIO(data), pattern) == 52
    assert count_matches(io.BytesIO(data), pattern, stop_after=3) >= 3


def test_counts_of_the_fixture_plan_in_three_formats(tmp_path):
    text = tmp_path / "plan.txt"
    text.write_text(plan_text_twin(), encoding="utf-8")
    # Tika prints every w:tc, so text and .docx agree; .xlsx counts the cells it stores:
    # at least every filled cell, at most every position of the used ranges.
    assert count_cells(text, "text") == 131
    assert count_cells(write_plan_docx(tmp_path / "plan.docx"), "docx") == 131
    workbook_path = write_plan_xlsx(tmp_path / "plan.xlsx")
    sheets = openpyxl.load_workbook(workbook_path).worksheets
    filled = sum(1 for sheet in sheets for row in sheet.iter_rows() for c in row if c.value)
    positions = sum(sheet.max_row * sheet.max_column for sheet in sheets)
    assert filled <= count_cells(workbook_path, "xlsx") <= positions
