"""One plan, three formats: the .docx, its Tika text twin and the .xlsx load to the same Plan.

The fixtures (``fixture_builders``) write the same fictional plan with python-docx (real
merges), as the text Apache Tika prints for that .docx, and with openpyxl.  Everything the
classifier derives — table kinds, captions, column roles, rows, sub-items, cells, projects,
totals, notes — must agree; only source locations differ (paragraph/row/col, line numbers,
sheet/cell references).  The expected values are also checked literally, so three equally
wrong results cannot pass.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixture_builders import (
    INDICATOR_CAPTION,
    INDICATOR_NOTE,
    PROJECT_CAPTION,
    PROJECT_TOTAL,
    plan_text_twin,
    without_locations,
    write_plan_docx,
    write_plan_xlsx,
)

api = pytest.importorskip(
    "ecociv.ingest.api", reason="ecociv.ingest.api.load_plan (engineer H1) is not there yet"
)


def _shape(plan) -> dict[str, Any]:
    dumped = plan.model_dump(mode="json")
    return {
        "metadata": dumped["metadata"],
        "tables": without_locations(dumped["tables"]),
        "diagnostics": sorted(d["code"] for d in dumped["diagnostics"]),
    }


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("twins")
    text = folder / "plan.txt"
    text.write_text(plan_text_twin(), encoding="utf-8")
    return {
        "docx": api.load_plan(write_plan_docx(folder / "plan.docx")),
        "tika": api.load_plan(text),
        "xlsx": api.load_plan(write_plan_xlsx(folder / "plan.xlsx")),
    }


def test_each_file_was_read_by_its_own_reader(plans):
    assert {name: plan.source.format for name, plan in plans.items()} == {
        "docx": "docx",
        "tika": "tika",
        "xlsx": "xlsx",
    }


@pytest.mark.parametrize("other", ["tika", "xlsx"])
def test_docx_and_its_twin_give_the_same_plan(plans, other):
    assert _shape(plans[other]) == _shape(plans["docx"])


@pytest.mark.parametrize("name", ["docx", "tika", "xlsx"])
def test_the_indicator_table(plans, name):
    table = plans[name].tables[0]
    assert (table.kind, table.caption, table.notes) == (
        "indicator",
        INDICATOR_CAPTION,
        [INDICATOR_NOTE],
    )
    roles = [column.role for column in table.columns]
    assert roles[:6] == ["domain", "task", "seq", "name", "unit", "attribute"]
    assert [(c.role, c.year) for c in table.columns[6:]] == [
        ("baseline", 2020),
        ("target", 2025),
        ("target", 2030),
    ]
    rows = table.rows
    assert [row.seq for row in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [row.domain for row in rows] == ["生态制度"] * 2 + ["生态安全"] * 3 + ["生态经济"] * 2
    assert rows[4].task == "（三）生态系统保护" and rows[3].task == "（二）生态环境质量改善"
    assert [row.attribute for row in rows].count("约束性") == 5
    air = rows[2]
    assert air.name == "环境空气质量" and len(air.subitems) == 2
    assert air.cells["target_2025"].text == "①≥90\n②≤28"
    assert rows[5].cells["baseline"].text == "0.42"


@pytest.mark.parametrize("name", ["docx", "tika", "xlsx"])
def test_the_project_table(plans, name):
    table = plans[name].tables[1]
    assert (table.kind, table.caption) == ("project", PROJECT_CAPTION)
    assert [row.category for row in table.rows] == ["生态环境质量改善"] * 2 + [
        "生态系统保护"
    ] * 2 + ["生态经济"]
    assert [row.investment_wan_yuan for row in table.rows] == [12000, 8600, 4500, None, 6300.5]
    assert table.rows[0].lead_units == ["县水利局", "各乡镇（街道、园区）"]
    assert table.stated_total_wan_yuan == float(PROJECT_TOTAL)
