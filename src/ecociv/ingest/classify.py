"""Decide what a table is by what its header and cells say, not by where it stands.

* ``box`` — a one-column table that opens with 专栏 (or whose caption does): a boxed aside.
* ``project`` — a header names projects (项目名称 / 工程名称) next to money, years or units.
* ``review`` — an indicator table that judges a past plan: a completion column (完成情况,
  是否完成) comparing a measured value with the target of the same year, or a caption that
  says 执行情况 / 完成情况 / 评估.
* ``indicator`` — a header names indicators next to a requirement, baseline, target or
  attribute column.
* ``other`` — anything else; its cells are kept as rows of cells.

Headers may span up to three rows (``目标值`` over ``2025年 | 2030年``;
:mod:`ecociv.ingest.header_rows`); the cells below each header confirm or overrule the role
its header names (:mod:`ecociv.ingest.column_content`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecociv.errors import InputError
from ecociv.ingest.column_map import TableRule, apply_table_rule
from ecociv.ingest.columns import (
    YearContext,
    indicator_columns,
    is_project_header,
    project_columns,
)
from ecociv.ingest.document import DocTable
from ecociv.ingest.header_rows import header_parts, header_row_count, header_texts
from ecociv.model import Column, TableKind

_BOX = re.compile(r"^\s*专栏")
_REVIEW_CAPTION = re.compile(r"执行情况|完成情况|实施情况|评估|回顾|完成进度")
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
    parts = header_parts(table, header_rows, start, years)
    headers = header_texts(parts)
    caption = table.caption or title
    if is_project_header(headers):
        columns = project_columns(headers)
        if {c.role for c in columns} & _PROJECT_VALUE_ROLES:
            return Classification("project", start + header_rows, columns, title)
    contents = column_contents(table, start + header_rows, len(headers))
    columns = indicator_columns(headers, years, caption, parts, contents)
    roles = {c.role for c in columns}
    if "name" in roles and roles & _INDICATOR_VALUE_ROLES:
        review = _is_review(caption, columns)
        kind: TableKind = "review" if review else "indicator"
        return Classification(kind, start + header_rows, columns, title)
    return Classification("other", 0, [])


def classify_with_rule(
    table: DocTable, years: YearContext, found: Classification, rule: TableRule, where: str
) -> Classification:
    """*found* corrected by the user's mapping (:mod:`ecociv.ingest.column_map`).

    A table read as ``other`` (or ``box``) is read as an indicator table (or the rule's
    ``kind``) with the header the classifier would give it; a project table cannot be mapped.
    """
    if found.kind == "project":
        raise InputError(
            f"表格 {rule.index if rule.index is not None else rule.caption} 是项目表，列映射只适用于指标表",
            f"table {rule.index if rule.index is not None else rule.caption} is a project table; "
            "a column mapping applies to indicator tables only",
            where=where,
        )
    if found.kind in ("indicator", "review"):
        base = found
    else:
        title = title_row(table)
        start = 1 if title else 0
        header_rows = header_row_count(table, start)
        parts = header_parts(table, header_rows, start, years)
        headers = header_texts(parts)
        contents = column_contents(table, start + header_rows, len(headers))
        columns = indicator_columns(headers, years, table.caption or title, parts, contents)
        base = Classification("indicator", start + header_rows, columns, title)
    columns = apply_table_rule(base.columns, rule, where)
    kind: TableKind = rule.kind or base.kind  # type: ignore[assignment]
    return Classification(kind, base.header_rows, columns, base.title)


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


def column_contents(table: DocTable, first_row: int, width: int) -> list[list[str]]:
    """The texts below the header, column by column (covered cells left out)."""
    contents: list[list[str]] = [[] for _ in range(width)]
    for row in table.rows[first_row:]:
        if len(row) != width:
            continue
        for c, cell in enumerate(row):
            if not cell.is_merge_continuation:
                contents[c].append(cell.text)
    return contents


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
