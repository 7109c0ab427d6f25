"""Every hostile file reported in issues 11 and 18, run as ``ecociv ingest`` in a limited child.

Before the fix these ended in a traceback (entity declaration, garbage sheet, shared-string
index out of range, bad style index, duplicate attribute, chartsheet, huge ``gridBefore``)
or ran past 90 s / to gigabytes (malformed body, huge ``gridSpan``, huge ``tblGrid``,
450,000 cells, a huge merged range).  Each must now end inside 60 s and 3 GiB of address
space with exit 0 or exit 2 and one line that names what, where and which limit.
"""

from __future__ import annotations

import json
import warnings

import hostile
import pytest
from bounded import ForkServer, Limits
from fixture_builders import write_plan_docx, write_plan_xlsx

LIMITS = Limits(seconds=60, memory_mb=3072)


@pytest.fixture(scope="module")
def server():
    with ForkServer(LIMITS, env={"ECOCIV_LANG": "en"}) as running:
        yield running


@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("healthy")
    return {
        "docx": write_plan_docx(folder / "plan.docx").read_bytes(),
        "xlsx": write_plan_xlsx(folder / "plan.xlsx").read_bytes(),
    }


def _ingest(server, healthy, tmp_path, case: str):
    kind = case.split("_")[0]
    builders = hostile.DOCX_CASES if kind == "docx" else hostile.XLSX_CASES
    path = tmp_path / f"{case}.{kind}"
    path.write_bytes(builders[case](healthy[kind]))
    return server.run("ingest", str(path), "--json")


# (case, words the one-line error must hold)
REFUSED = [
    (
        "docx_huge_grid_before",
        ["table 1", "2,147,483,6", "w:gridBefore", "200,000", "ECOCIV_MAX_CELLS"],
    ),
    ("docx_huge_grid_span", ["table 1", "50,000,00", "w:gridSpan", "ECOCIV_MAX_CELLS"]),
    ("docx_huge_tbl_grid", ["table 1", "300,00", "w:tblGrid", "ECOCIV_MAX_CELLS"]),
    ("docx_malformed_body", ["word/document.xml", "line 2", "malformed"]),
    ("docx_entity_expansion", ["word/document.xml", "DTD", "entity expansion"]),
    ("docx_external_entity", ["word/document.xml", "DTD", "external references"]),
    ("docx_deep_nesting", ["word/document.xml", "256 levels"]),
    ("docx_many_cells", ["table cells", "200,000", "ECOCIV_MAX_CELLS"]),
    ("docx_non_numeric_span", ["table 1", "w:gridSpan", "'wide'"]),
    ("docx_without_body", ["word/document.xml", "no body (w:body)"]),
    ("xlsx_entity_declaration", ["xl/worksheets/sheet1.xml", "DTD"]),
    ("xlsx_huge_merged_range", ["xl/worksheets/sheet1.xml", "merged ranges", "ECOCIV_MAX_CELLS"]),
]


@pytest.mark.parametrize(("case", "words"), REFUSED, ids=[c for c, _ in REFUSED])
def test_refused_with_one_line_naming_what_where_and_the_limit(
    server, healthy, tmp_path, case, words
):
    outcome = _ingest(server, healthy, tmp_path, case)
    assert outcome.verdict == "refused", outcome
    assert outcome.peak_rss_mb < 1024, outcome
    for word in words:
        assert word in outcome.stderr, (word, outcome.stderr)


DAMAGED_SHEET = [
    "xlsx_garbage_sheet",
    "xlsx_shared_string_out_of_range",
    "xlsx_bad_style_index",
    "xlsx_duplicate_attribute",
    "xlsx_chartsheet",
]


@pytest.mark.parametrize("case", DAMAGED_SHEET)
def test_a_damaged_sheet_is_left_out_and_the_other_sheet_kept(tmp_path, healthy, case, monkeypatch):
    """In-process (the reader is bounded now): the project sheet survives, the damage is named."""
    from ecociv.ingest.api import load_plan

    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(hostile.XLSX_CASES[case](healthy["xlsx"]))
    plan = load_plan(path)
    assert [(t.kind, len(t.rows)) for t in plan.tables] == [("project", 5)]
    damaged = [d for d in plan.diagnostics if d.code == "xlsx_damaged_sheet"]
    assert len(damaged) == 1
    assert damaged[0].severity == "error"
    assert damaged[0].where is not None and damaged[0].where.sheet == "表1"


def test_the_healthy_twins_still_read_in_a_child(server, healthy, tmp_path):
    for kind in ("docx", "xlsx"):
        path = tmp_path / f"plan.{kind}"
        path.write_bytes(healthy[kind])
        outcome = server.run("ingest", str(path), "--json")
        assert outcome.verdict == "ok", outcome


def test_a_cell_far_away_costs_positions_not_a_hang(healthy, tmp_path):
    """A text cell at column XFD widens its 10-row table to 16,384 columns (163,840
    positions): inside the default budget it is read, under a smaller one it is refused."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(hostile.xlsx_far_cell(healthy["xlsx"]))
    with ForkServer(LIMITS, env={"ECOCIV_LANG": "en", "ECOCIV_MAX_CELLS": "100000"}) as small:
        outcome = small.run("ingest", str(path), "--json")
    assert outcome.verdict == "refused", outcome
    for word in ("'表1'", "10 rows × 16,384 columns", "100,000", "ECOCIV_MAX_CELLS"):
        assert word in outcome.stderr, (word, outcome.stderr)


def test_the_xlsx_damage_report_reaches_the_plan_json(tmp_path, healthy, monkeypatch, capsys):
    import sys

    from ecociv.cli import main

    path = tmp_path / "garbage.xlsx"
    path.write_bytes(hostile.xlsx_garbage_sheet(healthy["xlsx"]))
    monkeypatch.setattr(sys, "argv", ["ecociv", "ingest", str(path), "--json"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    plan = json.loads(capsys.readouterr().out)
    codes = [d["code"] for d in plan["diagnostics"]]
    assert "xlsx_damaged_sheet" in codes


def test_found_by_the_corpus_repeated_members_and_long_zip_errors(server, healthy, tmp_path):
    """Seed 2026 cases 335 and 344: a repeated member name (a warning line before the error)
    and a zip error quoting a whole damaged header (a line of 10,000 characters)."""
    import io
    import zipfile

    repeated = tmp_path / "repeated.xlsx"
    out = io.BytesIO(healthy["xlsx"])
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as package:
        warnings.simplefilter("ignore")
        package.writestr("xl/workbook.xml", b"<x/>")
    repeated.write_bytes(out.getvalue())
    outcome = server.run("ingest", str(repeated), "--json")
    assert outcome.verdict in ("ok", "refused") and outcome.stderr_lines <= 1, outcome

    renamed = tmp_path / "renamed.docx"
    data = healthy["docx"]
    name = b"word/document.xml"
    at = data.index(b"PK\x03\x04" + data[4:4])  # the first local header
    at = data.index(name, at)
    renamed.write_bytes(data[:at] + b"word/documenX.xml" + data[at + len(name) :])
    outcome = server.run("ingest", str(renamed), "--json")
    assert outcome.verdict == "refused", outcome
    assert len(outcome.stderr) < 600, outcome.stderr
