"""``ecociv ingest`` on a small Tika snippet: report, JSON (with value-cell expressions),
``--no-exprs``, language, errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ecociv.cli import build_app

T = "\t"
SNIPPET = "\n".join(
    [
        "表1 指标",
        *(f"{T}{h}" for h in ("序号", "指标名称", "单位", "现状值（2020年）", "2025年目标值")),
        "",
        *(f"{T}{c}" for c in ("1", "森林覆盖率", "%", "8.481", "≥60")),
        "",
        "",
        "注：1该指标为2018年数据。",
        "",
    ]
)


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(SNIPPET, encoding="utf-8")
    return path


def test_report_in_chinese_lists_tables_and_diagnostics(plan_file):
    result = CliRunner().invoke(
        build_app(), ["ingest", str(plan_file), "--report"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "导入报告" in result.output and "指标表" in result.output
    assert "源文件第11行" in result.output  # the flagged value and where it is


def test_report_in_english(plan_file):
    result = CliRunner().invoke(build_app(), ["ingest", str(plan_file), "--lang", "en"])
    assert result.exit_code == 0
    assert "Ingest report" in result.output and "indicator table" in result.output


def test_json_is_the_plan(plan_file):
    result = CliRunner().invoke(build_app(), ["ingest", str(plan_file), "--json"])
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["schema_version"] == "1.2"
    assert plan["tables"][0]["kind"] == "indicator"
    cells = plan["tables"][0]["rows"][0]["cells"]
    assert cells["baseline"]["text"] == "8.481"
    # the flagged footnote digit is split off in the expression, the text stays verbatim
    assert cells["baseline"]["expr"] == {
        "type": "Annotated",
        "expr": {"type": "Number", "value": "8.48", "unit": None},
        "note": "注1",
    }
    assert cells["target_2025"]["expr"]["type"] == "Comparison"
    assert cells["name"]["expr"] is None
    assert [d["code"] for d in plan["diagnostics"]] == ["footnote_fused"]


def test_no_exprs_leaves_every_cell_unparsed(plan_file):
    result = CliRunner().invoke(build_app(), ["ingest", str(plan_file), "--json", "--no-exprs"])
    assert result.exit_code == 0, result.output
    cells = json.loads(result.stdout)["tables"][0]["rows"][0]["cells"]
    assert [cell["expr"] for cell in cells.values()] == [None] * len(cells)


def test_a_bad_language_is_an_ecociv_error(plan_file):
    from ecociv.errors import InputError

    result = CliRunner().invoke(build_app(), ["ingest", str(plan_file), "--lang", "fr"])
    assert isinstance(result.exception, InputError)


@pytest.mark.parametrize(
    ("where", "zh", "en"),
    [
        ({"line_start": 7, "line_end": 9}, "源文件第7-9行", "line 7-9"),
        ({"sheet": "指标", "cell_ref": "B7"}, "指标!B7", "指标!B7"),
        (
            {"table": 1, "row": 2, "col": 3},
            "文档表格1（第2行第3列，从0起）",
            "document table 1 (row 2, col 3",
        ),
    ],
)
def test_diagnostic_locations(where, zh, en):
    from ecociv.ingest.report import location
    from ecociv.model import Diagnostic, SourceSpan

    diagnostic = Diagnostic(
        code="x", message_zh="-", message_en="-", where=SourceSpan(**where), table=0, row=2
    )
    assert location(diagnostic, "zh").endswith(zh)
    assert en in location(diagnostic, "en")
