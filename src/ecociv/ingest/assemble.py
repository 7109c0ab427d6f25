"""Turn one classified :class:`DocTable` into a :class:`PlanTable`, losing no cell.

Indicator and review tables become :class:`IndicatorRow` rows, project tables
:class:`ProjectRow` rows; their header cells live on as :attr:`Column.header`.  Boxes and
other tables keep every row as a list of :class:`Cell`; a box also gets its text.
"""

from __future__ import annotations

from ecociv.ingest.classify import Classification
from ecociv.ingest.document import DocTable
from ecociv.ingest.findings import Findings
from ecociv.ingest.indicator_rows import build_indicator_rows
from ecociv.ingest.project_rows import ProjectTableRows
from ecociv.model import Cell, Diagnostic, PlanTable


def plan_table(
    table: DocTable, index: int, classification: Classification
) -> tuple[PlanTable, list[Diagnostic]]:
    """The plan table for *table* and the diagnostics met while reading its rows."""
    kind = classification.kind
    result = PlanTable(
        index=index,
        kind=kind,
        caption=table.caption,
        where=table.where,
        columns=classification.columns,
        notes=list(table.notes),
    )
    title = _title(result, classification, table)
    if kind in ("indicator", "review"):
        rows, diagnostics = build_indicator_rows(
            table, classification.header_rows, classification.columns, index
        )
        result.rows = list(rows)
        return result, title + diagnostics
    if kind == "project":
        projects = ProjectTableRows(
            table, classification.header_rows, classification.columns, index
        )
        result.rows = list(projects.rows)
        result.stated_total_wan_yuan = projects.stated_total
        result.computed_total_wan_yuan = projects.computed_total
        return result, title + projects.findings.items
    result.rows = [[Cell(text=c.text, where=c.where) for c in row] for row in table.rows]
    if kind == "box":
        texts = [c.text for row in table.rows for c in row if c.text.strip()]
        result.text = "\n".join(texts)
        if result.caption is None and texts:
            result.caption = texts[0].split("\n")[0].strip()
    return result, []


def _title(result: PlanTable, classification: Classification, table: DocTable) -> list[Diagnostic]:
    """A title row inside the table becomes the caption, or else is reported with its text."""
    title = classification.title
    if title is None or title == result.caption:
        return []
    if result.caption is None:
        result.caption = title
        return []
    findings = Findings(result.index)
    findings.add(
        "title_row",
        "info",
        "表格首行是标题，表格上方已有标题，保留于此",
        "the table's first row is a title and the table already has a caption; kept here",
        row=0,
        where=table.rows[0][0].where,
        text=title,
    )
    return findings.items
