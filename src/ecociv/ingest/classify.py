"""Decide what a table is by what its header and cells say, not by where it stands.

* ``box`` — a one-column table that opens with 专栏 (or whose caption does): a boxed aside.
* ``project`` — a header names projects (项目名称 / 工程名称) next to money, years or units.
* ``review`` — an indicator table that judges a past plan: a completion column (完成情况,
  是否完成) comparing a measured value with the target of the same year, or a caption that
  says 执行情况 / 完成情况 / 评估.
* ``indicator`` — a header names indicators next to a requirement, baseline, target or
  attribute column.
* ``other`` — anything else; its cells are kept as rows of cells.

Headers may span two rows (``目标值`` over ``2025年 | 2030年``): the second row is header
when every cell in it reads like header text and none like data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecociv.ingest.columns import (
    YearContext,
    indicator_columns,
    is_project_header,
    normalise_header,
    project_columns,
)
from ecociv.ingest.document import DocCell, DocTable
from ecociv.model import Column, TableKind

_BOX = re.compile(r"^\s*专栏")
_REVIEW_CAPTION = re.compile(r"执行情况|完成情况|实施情况|评估|回顾|完成进度")
_HEADER_WORD = re.compile(
    r"^(?:(?:19|20)\d{2}年?.*|.*(?:目标|现状|要求|国家|省级|近期|远期|指标值|标准|单位|年度|基准).*)$"
)
_PROJECT_VALUE_ROLES = {"investment", "period", "period_start", "period_end", "lead_units"}
_INDICATOR_VALUE_ROLES = {"standard", "baseline", "target", "attribute", "value"}


@dataclass(frozen=True)
class Classification:
    """What a table is; ``header_rows`` counts a title row (``title``) and the header rows."""

    kind: TableKind
    header_rows: int
    columns: list[Column]
    title: str | None = None


def classify_table(table: DocTable, years: YearContext) -> Classification:
    """The kind of *table*, how many rows its header takes, and its columns."""
    if not table.rows:
        return Classification("other", 0, [])
    if table.n_cols <= 1:
        first = table.rows[0][0].text if table.rows[0] else ""
        is_box = _BOX.match(first) or _BOX.match(table.caption or "")
        return Classification("box" if is_box else "other", 0, [])
    title = title_row(table)
    start = 1 if title else 0
    header_rows = header_row_count(table, start)
    headers = header_texts(table, header_rows, start)
    caption = table.caption or title
    if is_project_header(headers):
        columns = project_columns(headers)
        if {c.role for c in columns} & _PROJECT_VALUE_ROLES:
            return Classification("project", start + header_rows, columns, title)
    columns = indicator_columns(headers, years, caption)
    roles = {c.role for c in columns}
    if "name" in roles and roles & _INDICATOR_VALUE_ROLES:
        review = _is_review(caption, columns)
        kind: TableKind = "review" if review else "indicator"
        return Classification(kind, start + header_rows, columns, title)
    return Classification("other", 0, [])


def title_row(table: DocTable) -> str | None:
    """The text of a first row that is one cell across the table (a title inside it)."""
    if len(table.rows) < 3 or table.n_cols < 2:
        return None
    first = table.rows[0]
    texts = {c.text.strip() for c in first if not c.is_merge_continuation and c.text.strip()}
    second = [c for c in table.rows[1] if c.text.strip()]
    if len(texts) == 1 and len(second) >= 2:
        return texts.pop()
    return None


def header_row_count(table: DocTable, start: int = 0) -> int:
    """1, or 2 when the row after the first header row continues the header."""
    if len(table.rows) < start + 3:
        return 1
    first, second = table.rows[start], table.rows[start + 1]
    texts = [normalise_header(cell.text) for cell in second if not cell.is_merge_continuation]
    filled = [t for t in texts if t]
    if not filled or (len(filled) == len(first) and len(second) == len(first)):
        return 1
    gaps_above = any(not c.text.strip() or c.is_merge_continuation for c in first) or len(
        first
    ) < len(second)
    if gaps_above and all(_HEADER_WORD.match(t) for t in filled):
        return 2
    return 1


def header_texts(table: DocTable, header_rows: int, start: int = 0) -> list[str]:
    """One header text per column, joining the header rows top to bottom."""
    rows = table.rows[start : start + header_rows]
    if header_rows == 2 and len(rows[0]) < len(rows[1]):
        return _spread_short_header(rows[0], rows[1])
    width = max(len(row) for row in rows)
    texts: list[str] = []
    for c in range(width):
        parts: list[str] = []
        for row in rows:
            if c >= len(row):
                continue
            cell = row[c]
            if cell.merged_into is not None:
                origin_r, origin_c = cell.merged_into
                cell = table.rows[origin_r][origin_c]
            text = cell.text.strip()
            if text and text not in parts:
                parts.append(text)
        texts.append("".join(parts))
    return texts


def _spread_short_header(upper_row: list[DocCell], lower_row: list[DocCell]) -> list[str]:
    """Two header rows from text input, the upper one short by its horizontal merges.

    Under an empty lower cell stands the next upper cell alone; a run of filled lower cells
    shares one upper cell, which spans as many columns as the upper row is short.
    """
    upper = [cell.text.strip() for cell in upper_row]
    lower = [cell.text.strip() for cell in lower_row]
    spare = len(lower) - len(upper)
    texts: list[str] = []
    i = 0
    for c, below in enumerate(lower):
        shares_left = c > 0 and below and lower[c - 1] and spare > 0
        if shares_left:
            spare -= 1
            above = upper[i - 1]
        else:
            above = upper[i] if i < len(upper) else ""
            i += 1
        texts.append(above + below)
    return texts


def _is_review(caption: str | None, columns: list[Column]) -> bool:
    if caption and _REVIEW_CAPTION.search(caption):
        return True
    by_key = {c.key: c for c in columns}
    for column in columns:
        if column.role != "verdict" or "完成" not in column.header:
            continue
        compared = [by_key[k] for k in column.compares if k in by_key]
        value_years = {c.year for c in compared if c.role == "value"}
        target_years = {c.year for c in compared if c.role == "target"}
        if value_years & target_years:
            return True
    return False
