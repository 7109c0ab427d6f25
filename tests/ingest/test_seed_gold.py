"""The three seed plans against their hand-checked gold files, field by field.

The gold files (``tests/gold/<key>.json``) hold no text of the plans: counts, sequence
numbers, units, attribute words, years, investment figures, numbers of units, and for free
text (names, groups, captions) the first 10 hex digits of its SHA-1.  The acceptance figures
of issue 2 are also asserted literally below, so a gold file regenerated from a wrong parse
cannot make these tests pass.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ecociv.ingest.api import load_plan
from ecociv.model import IndicatorRow, Plan, ProjectRow

pytestmark = pytest.mark.seeds

GOLD = Path(__file__).resolve().parents[1] / "gold"
SEEDS = ("000", "002", "003")


def digest(text: str | None) -> str | None:
    """The first 10 hex digits of the SHA-1 of *text* (``None`` stays ``None``)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10] if text else None


def indicator_projection(row: IndicatorRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "domain": digest(row.domain),
        "task": digest(row.task),
        "name": digest(row.name),
        "unit": row.unit,
        "attribute": row.attribute,
        "marker": row.marker,
        "region_class": digest(row.region_class),
        "applicable": row.applicable,
        "cells": {key: digest(cell.text) for key, cell in row.cells.items()},
        "name_line": row.cells["name"].where.line_start if "name" in row.cells else None,
        "subitems": [indicator_projection(item) for item in row.subitems],
    }


def project_projection(row: ProjectRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "category_path": [digest(level) for level in row.category_path],
        "name": digest(row.name),
        "nature": row.nature,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "investment_wan_yuan": row.investment_wan_yuan,
        "investment_note": row.investment_note,
        "lead_units": len(row.lead_units),
        "implementing_units": len(row.implementing_units),
    }


def plan_projection(plan: Plan) -> dict[str, Any]:
    """Everything the gold files record about a plan."""
    tables = []
    for table in plan.tables:
        entry: dict[str, Any] = {
            "index": table.index,
            "kind": table.kind,
            "caption": digest(table.caption),
            "lines": [table.where.line_start, table.where.line_end] if table.where else None,
            "columns": [[c.key, c.role, c.year, c.scope, c.compares] for c in table.columns],
            "n_rows": len(table.rows),
            "notes": len(table.notes),
            "stated_total_wan_yuan": table.stated_total_wan_yuan,
            "computed_total_wan_yuan": table.computed_total_wan_yuan,
        }
        if table.kind in ("indicator", "review"):
            entry["rows"] = [indicator_projection(r) for r in table.rows]  # type: ignore[arg-type]
        elif table.kind == "project":
            entry["rows"] = [project_projection(r) for r in table.rows]  # type: ignore[arg-type]
        else:
            entry["rows"] = [[digest(c.text) for c in row] for row in table.rows]  # type: ignore[union-attr]
        tables.append(entry)
    meta = plan.metadata
    return {
        "metadata": {
            "region": digest(meta.region),
            "name": digest(meta.name),
            "period_start": meta.period_start,
            "period_end": meta.period_end,
            "base_year": meta.base_year,
            "target_years": meta.target_years,
            "cited_standards": len(meta.cited_standards),
        },
        "tables": tables,
        "diagnostics": sorted(
            [d.code, d.table, d.row, d.column, d.where.line_start if d.where else None]
            for d in plan.diagnostics
        ),
    }


@pytest.fixture(scope="module")
def plans(seed_path) -> dict[str, Plan]:
    return {key: load_plan(seed_path(key)) for key in SEEDS}


def _gold(key: str) -> dict[str, Any]:
    return json.loads((GOLD / f"{key}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", SEEDS)
def test_metadata_matches_gold(plans, key):
    assert plan_projection(plans[key])["metadata"] == _gold(key)["metadata"]


@pytest.mark.parametrize("key", SEEDS)
def test_tables_match_gold_field_by_field(plans, key):
    got = plan_projection(plans[key])["tables"]
    gold = _gold(key)["tables"]
    assert [t["kind"] for t in got] == [t["kind"] for t in gold]
    for got_table, gold_table in zip(got, gold, strict=True):
        for field in gold_table:
            if field != "rows":
                assert got_table[field] == gold_table[field], (gold_table["index"], field)
        assert len(got_table["rows"]) == len(gold_table["rows"])
        for n, (got_row, gold_row) in enumerate(
            zip(got_table["rows"], gold_table["rows"], strict=True)
        ):
            assert got_row == gold_row, (gold_table["index"], n)


@pytest.mark.parametrize("key", SEEDS)
def test_diagnostics_match_gold(plans, key):
    assert plan_projection(plans[key])["diagnostics"] == _gold(key)["diagnostics"]


# ----------------------------------------------------------------- issue 2 acceptance


def _indicators(plan: Plan, index: int) -> list[IndicatorRow]:
    return [r for r in plan.tables[index].rows if isinstance(r, IndicatorRow)]


def _projects(plan: Plan, kind: str = "project") -> tuple[Any, list[ProjectRow]]:
    table = next(t for t in plan.tables if t.kind == kind)
    return table, [r for r in table.rows if isinstance(r, ProjectRow)]


def test_000_acceptance_figures(plans):
    plan = plans["000"]
    assert [t.kind for t in plan.tables].count("box") == 6
    national, provincial = _indicators(plan, 0), _indicators(plan, 1)
    assert (len(national), sum(r.applicable for r in national)) == (40, 32)
    assert (len(provincial), sum(r.applicable for r in provincial)) == (49, 42)
    assert Counter(r.attribute for r in national) == {"约束性": 22, "参考性": 18}
    assert Counter(r.attribute for r in provincial) == {"约束性": 28, "参考性": 21}
    assert plan.tables[0].columns[5].key == "standard_national"
    assert plan.tables[1].columns[5].key == "standard_provincial"
    _, projects = _projects(plan)
    with_figure = [p.investment_wan_yuan for p in projects if p.investment_wan_yuan is not None]
    assert (len(projects), len(with_figure), sum(with_figure)) == (48, 38, 1_291_612)
    assert list(Counter(p.category for p in projects).values()) == [4, 9, 4, 17, 10, 4]


def test_002_acceptance_figures(plans):
    plan = plans["002"]
    review = next(t for t in plan.tables if t.kind == "review")
    verdicts = Counter(r.cells["verdict"].text for r in review.rows)  # type: ignore[union-attr]
    assert (len(review.rows), verdicts) == (9, {"完成": 6, "未完成": 3})
    indicators = _indicators(plan, next(t.index for t in plan.tables if t.kind == "indicator"))
    assert len(indicators) == 17
    assert list(Counter(r.domain for r in indicators).values()) == [9, 8]
    assert Counter(r.attribute for r in indicators) == {"约束性": 15, "预期性": 2}
    table, projects = _projects(plan)
    assert len(projects) == 50
    assert table.stated_total_wan_yuan == pytest.approx(1_012_771.29)
    assert sum(p.investment_wan_yuan or 0 for p in projects) == pytest.approx(1_012_771.29)
    assert sum(len(p.category_path) == 3 for p in projects) == 22


def test_003_acceptance_figures(plans):
    rows = _indicators(plans["003"], 0)
    assert len(rows) == 43
    assert len(dict.fromkeys(r.domain for r in rows)) == 6
    assert len(dict.fromkeys(r.task for r in rows)) == 10
    assert sum(1 for r in rows if r.subitems) == 8
    assert sum(len(r.subitems) or 1 for r in rows) == 55


@pytest.mark.parametrize("key", SEEDS)
def test_every_table_cell_is_in_the_plan(plans, seed_path, key):
    """Nothing is silently dropped: each cell of the document is a header, a cell or text."""
    from ecociv.ingest.api import read_document

    document = read_document(seed_path(key))
    plan = plans[key]
    for doc_table, table in zip(document.tables, plan.tables, strict=True):
        kept = {c.header for c in table.columns}
        for row in table.rows:
            if isinstance(row, list):
                kept.update(c.text for c in row)
            else:
                kept.update(c.text for c in row.cells.values())
        kept.update(d.text for d in plan.diagnostics if d.table == table.index and d.text)
        for row in doc_table.rows:
            for cell in row:
                if cell.text.strip():
                    assert cell.text in kept or any(cell.text in k for k in kept if k), (
                        table.index,
                        cell.where,
                    )
