"""What the import preview adds to the plan it read: the column roles of each indicator and
review table with their confidence and first cells (for the user to correct, issue 9), and the
findings of ``ecociv check`` (issue 16).

The user's corrections are a column mapping in the form of ``ecociv ingest --columns``
(``ecociv.ingest.column_map``) kept as data: ``{"tables": [{"table": i, "columns": {key:
role}}]}``.  The upload is read with it written next to the file, so the web and the CLI read a
mapping the same way; the mapping is stored with the confirmed version and applied again to the
next upload of the same plan.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ecociv import model
from ecociv.ingest.column_map import ROLES

MAP_FILE = "columns.yaml"
FIRST_CELLS = 3
ROLE_CHOICES = sorted(ROLES)
YEAR_ROLES = frozenset({"baseline", "target"})
"""Roles whose column carries a year (``docs/plan-json.md``)."""
ROW_FIELDS = frozenset({"seq", "domain", "task", "name", "unit", "attribute"})
"""Roles whose cell the reader keeps as a field of the row, not under ``cells``."""


def read_upload_plan(
    path: Path, column_map: dict[str, Any] | None
) -> tuple[model.Plan, dict[str, Any]]:
    """The plan read from *path* with the user's *column_map*, and its check report (every
    finding) as JSON data (``docs/check-json.md``)."""
    from ecociv.check import prose_lines, report
    from ecociv.ingest.api import plan_from_document, read_document
    from ecociv.ingest.column_map import load_column_map

    mapping = None
    if column_map and column_map.get("tables"):
        map_path = path.parent / MAP_FILE
        map_path.write_text(yaml.safe_dump(column_map, allow_unicode=True), encoding="utf-8")
        mapping = load_column_map(map_path)
    document = read_document(path)
    plan = plan_from_document(document, column_map=mapping)
    checked = json.loads(report(plan, prose_lines(document)).model_dump_json())
    return plan, _named(checked, path.name)


def _named(review: dict[str, Any], name: str) -> dict[str, Any]:
    """The report with the upload's file name where the check wrote its path on the server
    (the upload folder is nobody's business; the ids do not depend on it)."""
    for finding in review["findings"]:
        for location in finding["locations"]:
            location["file"] = name
    return {**review, "source": name}


def without_accepted(review: dict[str, Any], accepted: list[str]) -> dict[str, Any]:
    """The check report with the findings accepted as is left out (listed under
    ``accepted``) and the counts of those shown."""
    hidden = set(accepted)
    shown = [f for f in review["findings"] if f["id"] not in hidden]
    counts = {s: sum(1 for f in shown if f["severity"] == s) for s in review["counts"]}
    return {**review, "findings": shown, "accepted": sorted(hidden), "counts": counts}


def with_role(
    column_map: dict[str, Any] | None, table: int, column: int, role: str, year: int | None = None
) -> dict[str, Any]:
    """*column_map* with the column at 0-based position *column* of table *table* set to
    *role*, and the *year* of a baseline or target column (by position: a column's key
    changes with its role, its position does not)."""
    tables = [
        dict(t, columns=dict(t.get("columns") or {})) for t in (column_map or {}).get("tables", [])
    ]
    entry = next((t for t in tables if t.get("table") == table), None)
    if entry is None:
        entry = {"table": table, "columns": {}}
        tables.append(entry)
    entry["columns"][str(column)] = role if year is None else {"role": role, "year": year}
    return {"tables": sorted(tables, key=lambda t: t.get("table", 0))}


def column_tables(plan: model.Plan, column_map: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Per indicator and review table, each column: key, header, role, confidence, basis,
    year, its position, whether the user set it, and its first cells."""
    mapped = {
        (t.get("table"), str(c))
        for t in (column_map or {}).get("tables", [])
        for c in (t.get("columns") or {})
    }
    tables = []
    for table in plan.tables:
        if table.kind not in ("indicator", "review"):
            continue
        rows = [r for r in table.rows if isinstance(r, model.IndicatorRow)][:FIRST_CELLS]
        tables.append(
            {
                "index": table.index,
                "kind": table.kind,
                "caption": table.caption,
                "columns": [
                    {
                        "key": c.key,
                        "header": c.header,
                        "role": c.role,
                        "confidence": c.confidence,
                        "basis": c.basis,
                        "year": c.year,
                        "position": position,
                        "mapped": (table.index, str(position)) in mapped,
                        "cells": [_cell_text(row, c) for row in rows],
                    }
                    for position, c in enumerate(table.columns)
                ],
            }
        )
    return tables


def _cell_text(row: model.IndicatorRow, column: model.Column) -> str:
    cell = row.cells.get(column.key)
    if cell is not None:
        return cell.text
    if column.role in ROW_FIELDS and column.key == column.role:
        return getattr(row, column.role) or ""
    return ""
