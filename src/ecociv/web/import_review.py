"""What the import preview adds to the plan it read: the column roles of each indicator and
review table with their confidence and first cells (for the user to correct, issue 9), and the
findings of ``ecociv check`` (issue 16).

The user's corrections are a column mapping in the form of ``ecociv ingest --columns``
(``ecociv.ingest.column_map``) kept as data: ``{"tables": [{"table": i, "columns": {key:
role}}]}``.  The upload is read by :mod:`ecociv.store.services.plan_reading`, as
``ecociv plan import`` reads it; the mapping is stored with the confirmed version and applied
again to the next upload of the same plan.
"""

from __future__ import annotations

from typing import Any

from ecociv import model
from ecociv.ingest.column_map import ROLES

FIRST_CELLS = 3
ROLE_CHOICES = sorted(ROLES)
YEAR_ROLES = frozenset({"baseline", "target"})
"""Roles whose column carries a year (``docs/plan-json.md``)."""
ROW_FIELDS = frozenset({"seq", "domain", "task", "name", "unit", "attribute"})
"""Roles whose cell the reader keeps as a field of the row, not under ``cells``."""


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
