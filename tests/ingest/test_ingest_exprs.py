"""Ingest fills ``Cell.expr`` of value cells (docs/plan-json.md, ``expr``): literal Tika
snippets written for these tests, then the three seed plans (no seed text in the repo)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecociv.expr import from_json
from ecociv.ingest.api import load_plan, plan_from_document
from ecociv.ingest.cell_exprs import ROLE_READERS
from ecociv.ingest.report import summarize
from ecociv.ingest.tika import parse_tika_text
from ecociv.model import Cell, IndicatorRow, Plan

T = "\t"
HEADER = [
    "序号",
    "指标名称",
    "单位",
    "指标属性",
    "国家级指标要求",
    "现状值（2020年）",
    "2025年目标值",
]


def tika(*rows: list[str], after: str = "") -> str:
    """A Tika export of one table (a cell is a TAB line; a blank line ends a row)."""
    lines: list[str] = []
    for row in rows:
        for cell in row:
            first, *rest = cell.split("\n")
            lines.append(T + first)
            lines.extend(rest)
        lines.append("")
    return "\n".join(lines) + "\n\n" + after


def plan_of(text: str, *, exprs: bool = True) -> Plan:
    return plan_from_document(parse_tika_text(text, "snippet.txt"), exprs=exprs)


def first_row(plan: Plan) -> IndicatorRow:
    row = plan.tables[0].rows[0]
    assert isinstance(row, IndicatorRow)
    return row


# ------------------------------------------------------------------ snippets


def test_target_threshold_and_baseline_cells_get_their_expressions():
    plan = plan_of(
        tika(HEADER, ["1", "城市空气质量优良天数比例", "%", "约束性", "市≥95 县≥85", "83.6", "≥90"])
    )
    cells = first_row(plan).cells
    assert cells["target_2025"].expr == {
        "type": "Comparison", "op": ">=", "value": "90", "unit": None, "word": "≥",
    }  # fmt: skip
    threshold = cells["standard_national"].expr
    assert threshold is not None and threshold["type"] == "Scoped"
    assert [scope for scope, _ in threshold["branches"]] == ["市", "县"]
    assert cells["baseline"].expr == {"type": "Number", "value": "83.6", "unit": None}
    for key in ("seq", "name", "unit", "attribute"):
        assert cells[key].expr is None, key
    assert plan.diagnostics == []


def test_the_column_role_decides_requirement_or_observed_value():
    """The same words are a quota to meet under a target and a claim of meeting it under a
    baseline (parse vs parse_value)."""
    text = "完成上级下达任务"
    cells = first_row(
        plan_of(tika(HEADER, ["1", "总量减排", "%", "约束性", "-", text, text]))
    ).cells
    assert cells["target_2025"].expr == {"type": "Quota", "phrase": text}
    claim = cells["baseline"].expr
    assert claim is not None and (claim["type"], claim["met"]) == ("Achievement", True)
    assert cells["standard_national"].expr == {"type": "NotApplicable", "word": "-"}


def test_a_baseline_with_a_stated_verdict_is_a_statement():
    plan = plan_of(
        tika(HEADER, ["1", "单位GDP能耗降低", "%", "约束性", "完成上级下达任务",
                      "①79.5%，未完成上级规定的考核任务", "完成上级下达任务"])
    )  # fmt: skip
    baseline = first_row(plan).cells["baseline"].expr
    assert baseline is not None and baseline["type"] == "Items"
    ((label, statement),) = baseline["items"]
    assert (label, statement["type"], statement["verdict"]["met"]) == ("①", "Statement", False)


def test_review_table_values_and_targets():
    plan = plan_of(
        tika(
            ["指标名称", "2015年", "2020年", "2020年目标值", "完成情况"],
            ["长江干流水质", "III", "II", "Ⅲ", "完成"],
        )
    )
    table = plan.tables[0]
    assert table.kind == "review"
    cells = first_row(plan).cells
    assert cells["value_2020"].expr == {"type": "Grade", "level": 2, "op": None}
    assert cells["value_2015"].expr == {"type": "Grade", "level": 3, "op": None}
    assert cells["target_2020"].expr == {"type": "Grade", "level": 3, "op": None}
    assert cells["verdict"].expr is None and cells["name"].expr is None


def test_sub_items_get_their_own_share_parsed():
    plan = plan_of(
        tika(HEADER, ["1", "空气质量\n①优良天数比例\n②细颗粒物浓度", "%\nμg/m3", "约束性",
                      "①≥80\n②≤35", "①85\n②30", "①≥88\n②≤28"])
    )  # fmt: skip
    row = first_row(plan)
    assert row.cells["target_2025"].expr["type"] == "Items"  # type: ignore[index]
    first, second = row.subitems
    assert first.cells["baseline"].expr == {"type": "Number", "value": "85", "unit": None}
    assert second.cells["target_2025"].expr["op"] == "<="  # type: ignore[index]
    assert second.cells["standard_national"].expr["value"] == "35"  # type: ignore[index]


def test_a_cell_left_as_text_is_kept_and_reported_where_and_why():
    plan = plan_of(tika(HEADER, ["1", "森林覆盖率", "%", "约束性", "≥18", "20.5", "持续提高90"]))
    target = first_row(plan).cells["target_2025"]
    assert target.text == "持续提高90"
    assert target.expr is not None and target.expr["type"] == "Text"
    assert target.expr["raw"] == "持续提高90"
    (diagnostic,) = plan.diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("cell_unparsed", "warning")
    assert (diagnostic.table, diagnostic.row, diagnostic.column) == (0, 1, "target_2025")
    assert diagnostic.where == target.where and diagnostic.text == "持续提高90"
    assert "第1行第9列" in diagnostic.message_zh and "“90”" in diagnostic.message_zh
    assert "line 1, column 9" in diagnostic.message_en
    summary = summarize(plan)["tables"][0]
    assert (summary["parsed_cells"], summary["text_cells"]) == (3, 1)


def test_the_report_lists_a_cell_left_as_text(tmp_path):
    from typer.testing import CliRunner

    from ecociv.cli import build_app

    path = tmp_path / "plan.txt"
    path.write_text(
        tika(HEADER, ["1", "森林覆盖率", "%", "约束性", "≥18", "20.5", "持续提高90"]),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        build_app(), ["ingest", str(path), "--lang", "en"], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output
    assert "value cells read 2/3" in result.output
    assert "column target_2025" in result.output and "could not be read" in result.output


def test_a_footnote_digit_that_ingest_flagged_is_split_off_in_the_expression():
    plan = plan_of(
        tika(HEADER, ["1", "用地下降率", "%", "参考性", "≥4.5", "8.481", "≥4.5"]),
    )
    assert first_row(plan).cells["baseline"].expr == {
        "type": "Number",
        "value": "8.481",
        "unit": None,
    }
    plan = plan_of(
        tika(
            HEADER,
            ["1", "用地下降率", "%", "参考性", "≥4.5", "8.481", "≥4.5"],
            after="注：1该指标为2018年数据。\n",
        )
    )
    baseline = first_row(plan).cells["baseline"]
    assert baseline.text == "8.481"
    assert baseline.expr == {
        "type": "Annotated", "expr": {"type": "Number", "value": "8.48", "unit": None}, "note": "注1",
    }  # fmt: skip
    assert [d.code for d in plan.diagnostics] == ["footnote_fused"]  # said once, by ingest


def test_repeated_texts_are_parsed_once_per_plan_and_no_exprs_skips_parsing():
    text = tika(
        HEADER,
        ["1", "甲", "%", "约束性", "≥90", "91", "≥90"],
        ["2", "乙", "%", "约束性", "≥90", "92", "≥90"],
    )
    plan = plan_of(text)
    rows = plan.tables[0].rows
    assert isinstance(rows[0], IndicatorRow) and isinstance(rows[1], IndicatorRow)
    assert rows[0].cells["target_2025"].expr is rows[1].cells["target_2025"].expr
    assert rows[0].cells["target_2025"].expr == rows[0].cells["standard_national"].expr
    bare = plan_of(text, exprs=False)
    assert all(c.expr is None for row in bare.tables[0].rows for c in row.cells.values())  # type: ignore[union-attr]


def test_an_empty_value_cell_keeps_expr_null_without_a_diagnostic():
    plan = plan_of(tika(HEADER, ["1", "甲", "%", "约束性", "", "91", "≥90"]))
    assert first_row(plan).cells["standard_national"].expr is None
    assert plan.diagnostics == []


# ------------------------------------------------------------------ seed plans


def _value_cells(plan: Plan) -> Iterator[tuple[int, str, Cell]]:
    def walk(rows: list[IndicatorRow]) -> Iterator[IndicatorRow]:
        for row in rows:
            yield row
            yield from walk(row.subitems)

    for table in plan.tables:
        if table.kind not in ("indicator", "review"):
            continue
        roles = {c.key: c.role for c in table.columns}
        indicator_rows = [r for r in table.rows if isinstance(r, IndicatorRow)]
        for row in walk(indicator_rows):
            for key, cell in row.cells.items():
                if roles.get(key) in ROLE_READERS and cell.text.strip():
                    yield table.index, key, cell


@pytest.mark.seeds
def test_every_seed_value_cell_has_an_expression_and_few_stay_text(seed_path):
    total, texts = 0, []
    for key in ("000", "002", "003"):
        plan = load_plan(seed_path(key))
        unparsed = {
            (d.table, d.column, d.text) for d in plan.diagnostics if d.code == "cell_unparsed"
        }
        for table, column, cell in _value_cells(plan):
            total += 1
            assert cell.expr is not None, (key, table, column, cell.where)
            assert from_json(cell.expr) is not None  # valid expr JSON
            if cell.expr["type"] == "Text":
                texts.append(f"{key} table {table} {column} {cell.where}: {cell.expr['reason']}")
                assert (table, column, cell.text) in unparsed  # and reported
    assert total >= 700, f"only {total} value cells: did ingestion change?"
    print(f"\nseed value cells: {total}, left as Text: {len(texts)} ({len(texts) / total:.2%})")
    for line in texts:
        print("  Text:", line)
    assert len(texts) / total < 0.02, "\n".join(texts)
