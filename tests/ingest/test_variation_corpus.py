"""The variation corpus: indicator, review and project tables rewritten as real plans lay
them out (``variants.py``), written as Tika text, .docx and .xlsx, must read back to the
same meaning — columns, verdict links, rows, sub-items, values, and the audit's results.

The synthetic plan runs everywhere; the seed plans' tables are rewritten when the seeds are
there.  Each variant is seeded, so a failure names the seed that reproduces it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fixture_builders import plan_text_twin
from variant_documents import outline, write_variant_docx, write_variant_xlsx
from variant_tables import Semantic, meaning, semantic_from_plan, synthetic_tables
from variants import Layout, body_rows, header_grid, paginate, variant

from ecociv.assess.audit import audit_plan
from ecociv.ingest.api import load_plan
from ecociv.model import Plan

SYNTHETIC_SEEDS = range(170)  # × 3 formats = 510 variants, with or without the seeds
SEED_VARIANTS = 10  # per seed plan and format: 3 × 10 × 3 = 90 more
FORMATS = ("txt", "docx", "xlsx")


def _write(items: list[tuple], path: Path, fmt: str) -> Path:
    if fmt == "txt":
        path.write_text(plan_text_twin(items), encoding="utf-8")
    elif fmt == "docx":
        write_variant_docx(path, items)
    else:
        write_variant_xlsx(path, items)
    return path


def _audit_meaning(plan: Plan, index: int) -> tuple:
    report = audit_plan(plan)
    rows = tuple(
        (r.seq, r.stated_status, r.computed_status, r.agreement)
        for r in report.rows
        if r.table == index
    )
    counts = [(c.stated, c.found) for c in report.tables if c.table == index]
    return rows, tuple(counts)


def _read_back(semantics: list[Semantic], seed: int, tmp_path: Path, fmt: str, base: int):
    parts, layouts, kept = [], [], []
    for n, semantic in enumerate(semantics):
        spec, layout, keep = variant(semantic, seed * 31 + n)
        parts.append(spec)
        layouts.append(layout)
        kept.append(keep)
    path = _write(outline(parts, base), tmp_path / f"v{seed}.{fmt}", fmt)
    plan = load_plan(path, exprs=False)
    return plan, layouts, kept


def _check(plan: Plan, originals: list[tuple[Plan, int]], kept: list[Semantic], layouts) -> None:
    tables = [t for t in plan.tables if t.kind in ("indicator", "review", "project")]
    assert len(tables) == len(kept), (layouts, [(t.kind, t.caption) for t in plan.tables])
    for table, keep, layout, (original, index) in zip(
        tables, kept, layouts, originals, strict=True
    ):
        wanted = set(keep.columns)
        expected = meaning(original.tables[index], wanted)
        got = meaning(table, wanted)
        assert got == expected, layout
        if table.kind != "project":
            assert _audit_meaning(plan, table.index) == _audit_meaning(original, index), layout


@pytest.fixture(scope="module")
def synthetic_original(tmp_path_factory) -> tuple[list[Semantic], Plan]:
    """The synthetic tables in their plainest layout, read once: what every variant must equal."""
    semantics = synthetic_tables(random.Random(7))
    specs = []
    for semantic in semantics:
        plain = Layout(0, 1, False, "circled", "none", tuple(semantic.columns))
        headers = header_grid(semantic, plain, random.Random(0))
        specs.append(paginate(semantic, headers, body_rows(semantic, plain), plain))
    path = tmp_path_factory.mktemp("plain") / "plain.txt"
    path.write_text(plan_text_twin(outline(specs, 2020)), encoding="utf-8")
    return semantics, load_plan(path, exprs=False)


def test_the_plain_synthetic_plan_reads_as_written(synthetic_original) -> None:
    _, plan = synthetic_original
    indicator, review, projects = (t for t in plan.tables if t.kind != "other")
    assert (indicator.kind, review.kind, projects.kind) == ("indicator", "review", "project")
    verdict = next(c for c in indicator.columns if c.role == "verdict")
    assert verdict.compares == ["baseline", "standard_national"]
    air = next(r for r in indicator.rows if r.name == "环境空气质量")
    assert [s.name for s in air.subitems] == ["优良天数比例", "细颗粒物（PM2.5）浓度"]
    assert [s.seq for s in air.subitems] == [f"{air.seq}.1", f"{air.seq}.2"]
    completion = next(c for c in review.columns if c.role == "verdict")
    assert completion.compares == ["value_2020", "target_2020"]
    report = audit_plan(plan)
    assert all(c.found == c.stated for c in report.tables)
    assert sum(c.stated for c in report.tables if c.table == review.index) == 4
    assert len(projects.rows) == 6


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SYNTHETIC_SEEDS)
def test_synthetic_variant_reads_back_the_same(synthetic_original, seed, fmt, tmp_path) -> None:
    semantics, original = synthetic_original
    plan, layouts, kept = _read_back(semantics, seed, tmp_path, fmt, 2020)
    originals = [(original, t.index) for t in original.tables if t.kind != "other"]
    _check(plan, originals, kept, layouts)


@pytest.mark.seeds
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", range(SEED_VARIANTS))
@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_seed_tables_rewritten_read_back_the_same(seed_path, key, seed, fmt, tmp_path) -> None:
    original = _seed_plan(seed_path(key))
    pairs = [(t, semantic_from_plan(t)) for t in original.tables]
    pairs = [(t, s) for t, s in pairs if s is not None]
    semantics = [s for _, s in pairs]
    base = original.metadata.base_year or 2020
    plan, layouts, kept = _read_back(semantics, seed, tmp_path, fmt, base)
    _check(plan, [(original, t.index) for t, _ in pairs], kept, layouts)


_SEED_PLANS: dict[str, Plan] = {}


def _seed_plan(path: Path) -> Plan:
    if str(path) not in _SEED_PLANS:
        _SEED_PLANS[str(path)] = load_plan(path, exprs=False)
    return _SEED_PLANS[str(path)]
