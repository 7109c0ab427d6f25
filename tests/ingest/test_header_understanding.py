"""Tables laid out as plans outside the seeds lay them out (issue 9), each a literal Tika text:
headers whose spans were lost, roles by header and content, sub-item rows, short rows, page
breaks — and the audit finding every verdict those tables state."""

from __future__ import annotations

import pytest

from ecociv.assess.audit import audit_plan
from ecociv.ingest.api import plan_from_document
from ecociv.ingest.columns import YearContext, header_role
from ecociv.ingest.header_rows import spread_row
from ecociv.ingest.tika import parse_tika_text
from ecociv.model import IndicatorRow, Plan


def tika(
    rows: list[list[str]], caption: str = "表1 示例区生态文明建设指标", base: int = 2022
) -> str:
    """A plan with one table as Apache Tika prints it (a short row: a cell merged across)."""
    lines = [f"规划基准年为{base}年，规划期限为{base + 1}—2030年。", caption]
    for row in rows:
        for cell in row:
            first, *rest = cell.split("\n")
            lines.append("\t" + first)
            lines.extend(rest)
        lines.append("")
    lines.append("")
    return "\n".join(lines) + "\n"


def read(rows: list[list[str]], **kwargs) -> Plan:
    return plan_from_document(parse_tika_text(tika(rows, **kwargs), "t.txt"), exprs=False)


def roles(plan: Plan, table: int = 0) -> dict[str, tuple]:
    return {c.key: (c.role, c.year, c.compares) for c in plan.tables[table].columns}


HEADER_LOST_SPANS = [
    ["序号", "指标名称", "单位", "国家指标要求", "省级指标要求", "现状（2022年）", "目标值"],
    ["", "", "", "", "", "数值", "是否达到国家要求", "是否达到省级要求", "2025年", "2030年"],
]
BODY = [
    ["1", "森林覆盖率", "%", "≥18", "≥20", "19.5", "是", "否", "≥20", "≥21"],
    ["2", "城镇污水处理率", "%", "≥95", "≥95", "96", "是", "是", "≥97", "≥98"],
    ["3", "绿色出行比例", "%", "≥70", "≥75", "72", "是", "否", "≥75", "≥78"],
]


def test_group_cells_over_lost_spans_are_spread_by_sub_header_meaning() -> None:
    plan = read([*HEADER_LOST_SPANS, *BODY])
    assert roles(plan) == {
        "seq": ("seq", None, []),
        "name": ("name", None, []),
        "unit": ("unit", None, []),
        "standard_national": ("standard", None, []),
        "standard_provincial": ("standard", None, []),
        "baseline": ("baseline", 2022, []),
        "verdict_national": ("verdict", 2022, ["baseline", "standard_national"]),
        "verdict_provincial": ("verdict", 2022, ["baseline", "standard_provincial"]),
        "target_2025": ("target", 2025, []),
        "target_2030": ("target", 2030, []),
    }
    report = audit_plan(plan)
    assert [(t.stated, t.found) for t in report.tables] == [(6, 6)]
    assert report.summary.agree == 6


def test_a_year_goes_under_baseline_or_target_by_the_base_year() -> None:
    upper = ["指标", "现状值", "规划值"]
    lower = ["", "2020年", "2022年", "2025年", "2030年"]
    # the base year 2022: 2020 and 2022 are baselines, 2025 and 2030 targets
    assert spread_row(upper, lower, YearContext(base_year=2022)) == [0, 1, 1, 2, 2]
    assert spread_row(upper, lower, YearContext(base_year=2020)) == [0, 1, 2, 2, 2]


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("“十三五”末", "baseline"),
        ("基期值", "baseline"),
        ("现状（2022年）", "baseline"),
        ("期末值", "value"),
        ("实际完成值", "value"),
        ("“十四五”末目标", "target"),
        ("预期目标", "target"),
        ("市级指标要求", "standard"),
        ("评估结论", "verdict"),
        ("是否达到省级要求", "verdict"),
        ("对标结果", "verdict"),
        ("国家标准", "standard"),
        ("省级指标", "standard"),
        ("2022年度", "bare_year"),
        ("2020年（基准年）", "baseline"),
    ],
)
def test_header_variants(header: str, role: str) -> None:
    assert header_role([header])[0] == role


def test_five_year_plan_names_give_years() -> None:
    plan = read(
        [
            ["序号", "指标", "单位", "“十三五”目标", "“十三五”末", "是否完成"],
            ["1", "PM2.5年均浓度", "μg/m3", "≤35", "30", "是"],
            ["2", "森林覆盖率", "%", "≥60", "58", "否"],
        ],
        caption="表2 “十三五”规划指标完成情况",
        base=2020,
    )
    table = plan.tables[0]
    assert table.kind == "review"
    assert roles(plan)["target_2020"][:2] == ("target", 2020)
    assert roles(plan)["baseline"][:2] == ("baseline", 2020)
    assert roles(plan)["verdict"][2] == ["baseline", "target_2020"]
    report = audit_plan(plan)
    assert [r.agreement for r in report.rows] == ["agree", "agree"]


def test_content_overrules_the_header() -> None:
    plan = read(
        [
            ["序号", "指标名称", "2020年目标值", "完成情况", "备注"],
            ["1", "森林覆盖率", "≥60", "61.2", "是"],
            ["2", "空气质量优良天数比例", "≥85", "83", "否"],
            ["3", "城镇污水处理率", "≥95", "暂无数据", "否"],
        ],
        caption="表3 上一轮规划指标完成情况",
    )
    columns = {c.header: c for c in plan.tables[0].columns}
    assert (columns["完成情况"].role, columns["完成情况"].basis) == ("value", "content_over_header")
    assert (columns["备注"].role, columns["备注"].basis) == ("verdict", "content")
    assert columns["备注"].compares == ["value", "target_2020"]
    assert columns["序号"].confidence == 0.8 and columns["2020年目标值"].confidence == 0.95
    report = audit_plan(plan)
    assert [(r.seq, r.agreement) for r in report.rows] == [
        ("1", "agree"),
        ("2", "agree"),
        ("3", "undecided"),
    ]


def test_sub_item_rows_with_an_empty_seq_and_shared_cells() -> None:
    plan = read(
        [
            ["序号", "指标名称", "单位", "指标要求", "现状值", "2025年目标"],
            ["1", "环境空气质量", "", "完成上级下达任务", "", ""],
            ["", "优良天数比例", "%", "", "86.3", "≥88"],
            ["", "PM2.5浓度", "μg/m3", "", "29", "≤27"],
            ["2", "森林覆盖率", "%", "≥60", "61", "≥61"],
        ]
    )
    rows = plan.tables[0].rows
    assert [r.seq for r in rows] == ["1", "2"]
    air = rows[0]
    assert isinstance(air, IndicatorRow)
    assert [(s.seq, s.name, s.unit) for s in air.subitems] == [
        ("1.1", "优良天数比例", "%"),
        ("1.2", "PM2.5浓度", "μg/m3"),
    ]
    assert [s.cells["standard"].text for s in air.subitems] == ["完成上级下达任务"] * 2
    assert [s.cells["target_2025"].text for s in air.subitems] == ["≥88", "≤27"]
    assert sum(d.code == "subitem_row" for d in plan.diagnostics) == 2


def test_an_indicator_over_several_rows() -> None:
    plan = read(
        [
            ["序号", "指标名称", "单位", "指标要求", "现状值"],
            ["1", "集中式饮用水水源地水质达标率", "%", "市≥95", "100"],
            ["", "", "", "县≥85", ""],
        ]
    )
    (row,) = plan.tables[0].rows
    assert row.cells["standard"].text == "市≥95\n县≥85"
    assert any(d.code == "row_continued" for d in plan.diagnostics)


def test_a_short_row_is_lined_up_by_content_not_shifted() -> None:
    plan = read(
        [
            ["序号", "指标名称", "单位", "指标属性", "现状值", "目标值"],
            ["1", "公众对生态文明建设的满意度", "约束性", "90", "≥92"],  # name merged over unit
            ["2", "森林覆盖率", "%", "约束性", "61", "≥61"],
        ]
    )
    first = plan.tables[0].rows[0]
    assert first.attribute == "约束性" and first.cells["unit"].text == ""
    assert first.cells["baseline"].text == "90" and first.cells["target"].text == "≥92"
    (warning,) = [d for d in plan.diagnostics if d.code == "row_length"]
    assert "单位" in warning.message_zh and warning.row == 1


def test_a_header_reprinted_after_a_page_break_is_left_out() -> None:
    header = ["序号", "指标名称", "单位", "现状值", "目标值"]
    plan = read(
        [
            header,
            ["1", "森林覆盖率", "%", "61", "≥61"],
            header,
            ["2", "城镇污水处理率", "%", "96", "≥97"],
        ]
    )
    assert [r.seq for r in plan.tables[0].rows] == ["1", "2"]
    assert [d.code for d in plan.diagnostics] == ["header_repeat"]


def test_a_table_split_without_header_or_caption_is_joined() -> None:
    first = tika([["序号", "指标名称", "单位", "现状值"], ["1", "森林覆盖率", "%", "61"]])
    second = "\n".join(["\t2", "\t城镇污水处理率", "\t%", "\t96", "", ""]) + "\n"
    plan = plan_from_document(parse_tika_text(first + "\n" + second, "t.txt"), exprs=False)
    assert len(plan.tables) == 1
    assert [r.seq for r in plan.tables[0].rows] == ["1", "2"]
    assert any(d.code == "table_continued" for d in plan.diagnostics)


def test_a_verdict_column_without_a_requirement_is_reported_undecided() -> None:
    plan = read(
        [
            ["序号", "指标名称", "现状值", "是否达标"],
            ["1", "森林覆盖率", "61", "是"],
            ["2", "城镇污水处理率", "96", "否"],
        ]
    )
    report = audit_plan(plan)
    assert [(t.stated, t.found) for t in report.tables] == [(2, 2)]
    assert all(r.agreement == "undecided" for r in report.rows)
    assert all("要求列" in r.missing[0] for r in report.rows)


def test_answers_in_a_table_not_read_as_indicators_are_counted() -> None:
    plan = read(
        [
            ["工作", "责任部门", "是否完成"],
            ["河长制", "水利局", "是"],
            ["林长制", "林业局", "否"],
        ],
        caption="表5 工作落实",
    )
    assert plan.tables[0].kind == "other"
    report = audit_plan(plan)
    assert [(t.kind, t.stated, t.found) for t in report.tables] == [("other", 2, 2)]
    assert {r.stated for r in report.rows} == {"是", "否"}


def test_the_confidence_rule_is_documented_as_coded() -> None:
    from pathlib import Path

    from ecociv.ingest.columns import CONFIDENCE

    doc = (Path(__file__).resolve().parents[2] / "docs" / "plan-json.md").read_text("utf-8")
    for basis, confidence in CONFIDENCE.items():
        assert f"| `{basis}` |" in doc and f"| {confidence} |" in doc, basis


def test_a_few_answers_under_a_value_header_stay_values() -> None:
    plan = read(
        [
            ["序号", "指标名称", "现状值", "目标值"],
            ["1", "地表水水质", "达标", "稳定达标"],
            ["2", "森林覆盖率", "61", "≥61"],
            ["3", "河长制", "全面实施", "全面实施"],
        ]
    )
    assert [c.role for c in plan.tables[0].columns] == ["seq", "name", "baseline", "target"]
    report = audit_plan(plan)
    assert [(t.stated, t.found) for t in report.tables] == [(1, 1)]  # 达标 in a value cell


def test_answers_only_under_a_value_header_make_a_verdict_column() -> None:
    plan = read(
        [
            ["序号", "指标名称", "指标要求", "现状值", "评估值"],
            ["1", "森林覆盖率", "≥60", "61", "是"],
            ["2", "城镇污水处理率", "≥95", "96", "是"],
            ["3", "绿色出行比例", "≥70", "68", "否"],
        ]
    )
    column = plan.tables[0].columns[4]
    assert (column.role, column.basis, column.compares) == (
        "verdict",
        "content_over_header",
        ["baseline", "standard"],
    )


@pytest.mark.parametrize("style", ["in_cell", "rows"])
def test_sub_item_verdicts_are_audited_on_each_sub_item(style: str) -> None:
    header = ["序号", "指标名称", "单位", "国家指标要求", "现状值", "是否达到国家要求"]
    if style == "in_cell":
        body = [
            [
                "1",
                "水环境质量\n①水质优良比例\n②劣V类水体比例",
                "%",
                "①≥70\n②≤5",
                "①80\n②6",
                "①是\n②否",
            ]
        ]
    else:
        body = [
            ["1", "水环境质量", "", "", "", ""],
            ["", "水质优良比例", "%", "≥70", "80", "是"],
            ["", "劣V类水体比例", "%", "≤5", "6", "否"],
        ]
    plan = read([header, *body])
    report = audit_plan(plan)
    assert [(r.seq, r.stated_status, r.agreement) for r in report.rows] == [
        ("1.1", "met", "agree"),
        ("1.2", "not_met", "agree"),
    ]
    assert [(t.stated, t.found) for t in report.tables] == [(2, 2)]


def test_rows_of_a_table_that_numbers_nothing_stay_indicators() -> None:
    plan = read(
        [
            ["序号", "指标名称", "现状值", "目标值"],
            ["", "森林覆盖率", "61", "≥61"],
            ["", "城镇污水处理率", "96", "≥97"],
        ]
    )
    assert [(r.seq, r.name, len(r.subitems)) for r in plan.tables[0].rows] == [
        (None, "森林覆盖率", 0),
        (None, "城镇污水处理率", 0),
    ]


def test_a_row_holding_only_a_group_cell_changes_the_group() -> None:
    plan = read(
        [
            ["领域", "序号", "指标名称", "现状值", "目标值"],
            ["生态空间", "1", "森林覆盖率", "61", "≥61"],
            ["生态生活", "", "", "", ""],
            ["", "2", "城镇污水处理率", "96", "≥97"],
        ]
    )
    assert [(r.seq, r.domain) for r in plan.tables[0].rows] == [
        ("1", "生态空间"),
        ("2", "生态生活"),
    ]
    assert not any(d.code == "row_continued" for d in plan.diagnostics)


def test_a_group_row_under_a_one_row_header_is_not_a_header_row() -> None:
    plan = read(
        [
            ["序号", "指标名称", "单位", "现状值", "目标值"],
            ["生态环境质量目标", "", "", "", ""],
            ["1", "森林覆盖率", "%", "61", "≥61"],
        ]
    )
    assert [c.key for c in plan.tables[0].columns] == ["seq", "name", "unit", "baseline", "target"]
    assert [r.name for r in plan.tables[0].rows] == ["森林覆盖率"]


def test_bare_years_without_a_base_year_are_targets_when_the_plan_names_them() -> None:
    text = (
        "规划近期至2025年，远期至2035年。\n"
        + tika(
            [
                ["序号", "指标名称", "2020年", "2025年", "2035年"],
                ["1", "森林覆盖率", "61", "≥62", "≥64"],
            ]
        ).split("\n", 1)[1]
    )
    plan = plan_from_document(parse_tika_text(text, "t.txt"), exprs=False)
    assert [c.key for c in plan.tables[0].columns] == [
        "seq",
        "name",
        "value_2020",
        "target_2025",
        "target_2035",
    ]
