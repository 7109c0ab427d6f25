"""Document → Plan on small Tika snippets written for these tests (no seed text)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.ingest.api import plan_from_document
from ecociv.ingest.columns import YearContext, indicator_columns, project_columns
from ecociv.ingest.project_values import parse_investment, parse_period, split_units
from ecociv.ingest.subitems import analyse_name, split_for_items
from ecociv.ingest.tika import parse_tika_text
from ecociv.model import IndicatorRow, ProjectRow

T = "\t"


def tika(*rows: list[str], before: str = "", after: str = "\n") -> str:
    """A Tika export: *before*, then one table whose rows are lists of cell texts."""
    lines = [before] if before else []
    for row in rows:
        for cell in row:
            first, *rest = cell.split("\n")
            lines.append(T + first)
            lines.extend(rest)
        lines.append("")
    return "\n".join(lines) + "\n\n" + after


def plan_of(text: str):
    return plan_from_document(parse_tika_text(text, "snippet.txt"))


# ------------------------------------------------------------------ columns


def test_indicator_column_roles_years_and_scope():
    headers = [
        "领域", "任务", "序号", "指标名称", "单位", "省级指标要求", "指标属性",
        "现状值\n（2019年）", "近期目标", "远期目标", "是否达到省级要求",
    ]  # fmt: skip
    columns = indicator_columns(headers, YearContext(2019, 2025, 2035))
    assert [c.key for c in columns] == [
        "domain", "task", "seq", "name", "unit", "standard_provincial", "attribute",
        "baseline", "target_2025", "target_2035", "verdict_provincial",
    ]  # fmt: skip
    assert columns[7].year == 2019
    assert columns[-1].compares == ["baseline", "standard_provincial"]


def test_review_columns_bare_years_are_values_and_completion_compares_same_year():
    headers = ["指标名称", "2015年", "2020年", "2020年\n\n目标值", "完成情况"]
    columns = indicator_columns(headers, YearContext(base_year=2020))
    assert [(c.key, c.role) for c in columns] == [
        ("name", "name"),
        ("value_2015", "value"),
        ("value_2020", "value"),
        ("target_2020", "target"),
        ("verdict", "verdict"),
    ]
    assert columns[-1].compares == ["value_2020", "target_2020"]


def test_a_bare_future_year_is_a_target():
    columns = indicator_columns(["指标名称", "指标现状", "2025年"], YearContext(base_year=2020))
    assert [(c.key, c.year) for c in columns] == [
        ("name", None),
        ("baseline", 2020),
        ("target_2025", 2025),
    ]


def test_project_column_roles():
    headers = ["分类", "项目类型", "项目名称", "建设内容", "建设性质", "开工时间", "完工时间",
               "总投资（亿元）", "牵头单位（实施单位）"]  # fmt: skip
    assert [c.role for c in project_columns(headers)] == [
        "category", "subcategory", "name", "content", "nature", "period_start",
        "period_end", "investment", "lead_units",
    ]  # fmt: skip


# ------------------------------------------------------------- classification

INDICATOR_HEADER = [
    "领域",
    "序号",
    "指标名称",
    "单位",
    "指标属性",
    "现状值（2020年）",
    "2025年目标值",
]


def test_indicator_table_fill_down_page_break_repeat_and_applicability():
    text = tika(
        INDICATOR_HEADER,
        ["甲\n领\n域", "1", "森林覆盖率（山区）", "%", "约束性", "60", "≥61"],
        ["", "2", "近岸海域优良比例", "%", "预期性", "-", "-"],
        ["甲领域", "3", "河长制*", "-", "约束性", "实施", "实施"],
        ["乙领域", "4", "绿色建筑比例", "%", "约束性", "40", "50"],
        before="表1 测试指标",
    )
    plan = plan_of(text)
    table = plan.tables[0]
    assert table.kind == "indicator" and table.caption == "表1 测试指标"
    rows = table.rows
    assert all(isinstance(r, IndicatorRow) for r in rows)
    assert [r.domain for r in rows] == ["甲领域", "甲领域", "甲领域", "乙领域"]
    assert (rows[0].name, rows[0].region_class) == ("森林覆盖率", "山区")
    assert [r.applicable for r in rows] == [True, False, True, True]
    assert (rows[2].name, rows[2].marker) == ("河长制", "*")
    assert [d.code for d in plan.diagnostics] == ["group_repeat"]
    assert rows[0].cells["baseline"].where.line_start == 17


def test_subitems_marked_implied_first_and_shared_value():
    text = tika(
        INDICATOR_HEADER,
        ["甲", "1", "废弃物利用率\n秸秆利用率\n②粪污利用率", "%", "约束性", "1 90\n②80", "≥95"],
    )
    row = plan_of(text).tables[0].rows[0]
    assert isinstance(row, IndicatorRow)
    assert row.name == "废弃物利用率"
    assert [s.name for s in row.subitems] == ["秸秆利用率", "粪污利用率"]
    assert [s.cells["baseline"].text for s in row.subitems] == ["90", "80"]
    assert [s.cells["target_2025"].text for s in row.subitems] == ["≥95", "≥95"]
    assert [s.seq for s in row.subitems] == ["1.1", "1.2"]


def test_unmarked_aligned_lines_are_subitems_and_wrapped_cells_one_value():
    text = tika(
        INDICATOR_HEADER,
        [
            "甲",
            "1",
            "岸线修复\n岸线长度\n湿地面积",
            "公里\n公顷",
            "参考性",
            "完成上级下达的\n年度目标",
            "-",
        ],
    )
    row = plan_of(text).tables[0].rows[0]
    assert isinstance(row, IndicatorRow)
    assert [(s.name, s.unit) for s in row.subitems] == [("岸线长度", "公里"), ("湿地面积", "公顷")]
    assert {s.cells["baseline"].text for s in row.subitems} == {"完成上级下达的年度目标"}


def test_name_wrapped_over_two_lines_is_one_name():
    assert analyse_name("党委政府对生态文明建设\n重大目标任务部署情况").title == (
        "党委政府对生态文明建设重大目标任务部署情况"
    )
    assert analyse_name("指数\n其他地区").region_class == "其他地区"
    assert split_for_items("①1\n②2\n③3", 2) is None


def test_footnote_digit_fused_to_a_value_is_flagged_not_misread():
    text = tika(
        INDICATOR_HEADER,
        ["甲", "1", "用地下降率", "%", "参考性", "8.481", "≥4.5"],
        after="注：1该指标为2018年数据。\n",
    )
    plan = plan_of(text)
    row = plan.tables[0].rows[0]
    assert isinstance(row, IndicatorRow)
    assert row.cells["baseline"].text == "8.481"
    assert [d.code for d in plan.diagnostics] == ["footnote_fused"]
    assert "8.48" in plan.diagnostics[0].message_en


def test_review_table_by_completion_column():
    text = tika(
        ["指标名称", "2015年", "2020年", "2020年目标值", "完成情况"],
        ["污水处理率（%）", "90", "95", "99", "未完成"],
    )
    table = plan_of(text).tables[0]
    assert table.kind == "review"
    row = table.rows[0]
    assert isinstance(row, IndicatorRow)
    assert (row.name, row.unit, row.cells["verdict"].text) == ("污水处理率", "%", "未完成")


def test_box_and_other_tables_keep_their_cells():
    text = tika(["专栏3 重点工程"], ["第一项内容\n第二项内容"]) + tika(["甲", "乙"], ["1", "2"])
    plan = plan_of(text)
    assert [t.kind for t in plan.tables] == ["box", "other"]
    box = plan.tables[0]
    assert box.caption == "专栏3 重点工程" and box.text == "专栏3 重点工程\n第一项内容\n第二项内容"
    assert [[c.text for c in row] for row in plan.tables[1].rows] == [["甲", "乙"], ["1", "2"]]


# ------------------------------------------------------------------ projects


def test_project_table_subcategory_in_some_rows_totals_and_units():
    header = ["分类", "项目类型", "项目名称", "建设性质", "实施年限", "总投资（万元）", "牵头单位"]
    text = tika(
        header,
        [
            "甲类",
            "子类一",
            "细类",
            "项目A",
            "新建",
            "2021-2025年",
            "1,200",
            "县局、各镇（街道、园区）",
        ],
        ["", "", "", "项目B", "续建", "待定", "/", "城关\n镇政府"],
        ["", "子类二", "项目C", "新建", "2021", "0.5亿元", "县局"],
        ["合计", "6200", ""],
    )
    table = plan_of(text).tables[0]
    assert table.kind == "project"
    rows = [r for r in table.rows if isinstance(r, ProjectRow)]
    assert [len(r.category_path) for r in rows] == [3, 3, 2]
    assert [r.subcategory for r in rows] == ["子类一", "子类一", "子类二"]
    assert [r.investment_wan_yuan for r in rows] == [1200, None, 5000]
    assert [(r.period_start, r.period_end) for r in rows] == [
        (2021, 2025),
        (None, None),
        (2021, 2021),
    ]
    assert rows[0].lead_units == ["县局", "各镇（街道、园区）"]
    assert rows[1].lead_units == ["城关镇政府"]
    assert (table.stated_total_wan_yuan, table.computed_total_wan_yuan) == (6200, 6200)


def test_stated_total_that_differs_is_reported():
    header = ["类别", "序号", "项目名称", "实施年限", "投资（万元）", "牵头单位"]
    text = tika(header, ["甲", "1", "项目A", "2021-2022", "100", "县局"], ["合计", "150"])
    plan = plan_of(text)
    assert plan.tables[0].computed_total_wan_yuan == 100
    assert "total_mismatch" in [d.code for d in plan.diagnostics]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4186（34880*12%）", (4186, "34880*12%")),
        ("——", (None, None)),
        ("/", (None, None)),
        ("2.5亿元", (25000, None)),
        ("1,012,771.29", (1012771.29, None)),
    ],
)
def test_parse_investment(text, expected):
    investment = parse_investment(text)
    assert (investment.wan_yuan, investment.note) == expected


def test_parse_investment_in_a_yi_yuan_column():
    assert parse_investment("3", "亿元").wan_yuan == 30000


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2019-2030年", (2019, 2030)), ("2021年—2025年", (2021, 2025)), ("2021", (2021, 2021)),
     ("待定", (None, None))],
)  # fmt: skip
def test_parse_period(text, expected):
    assert parse_period(text) == expected


def test_split_units_never_inside_brackets():
    assert split_units("宁波生态环境局慈溪分局、各镇（街道、园区）") == [
        "宁波生态环境局慈溪分局",
        "各镇（街道、园区）",
    ]
    assert split_units("甬江\n街道") == ["甬江街道"]
    assert split_units("区住建局\n区城管局") == ["区住建局", "区城管局"]


# ------------------------------------------------------------------ metadata


def test_metadata_from_text_and_tables():
    before = "\n".join(
        [
            "组织编制了《某某市某某区生态文明建设规划（2021-2035年）》。",
            "依据《国家生态文明建设示范区建设指标》（环生态〔2019〕76号）开展。",
            "本规划基准年2020年，近期至2025年，远期展望至2035年。",
            "表1 指标",
        ]
    )
    plan = plan_of(
        tika(INDICATOR_HEADER, ["甲", "1", "森林覆盖率", "%", "约束性", "1", "2"], before=before)
    )
    meta = plan.metadata
    assert (meta.region, meta.period_start, meta.period_end) == ("某某市某某区", 2021, 2035)
    assert (meta.base_year, meta.target_years) == (2020, [2025, 2035])
    assert meta.cited_standards == ["国家生态文明建设示范区建设指标（环生态〔2019〕76号）"]


def test_five_year_plan_period_from_a_caption():
    text = tika(
        INDICATOR_HEADER,
        ["甲", "1", "森林覆盖率", "%", "约束性", "1", "2"],
        before="专栏2  某某县“十四五”规划指标",
    )
    meta = plan_of(text).metadata
    assert (meta.region, meta.period_start, meta.period_end, meta.base_year) == (
        "某某县",
        2021,
        2025,
        2020,
    )


def test_two_row_header_in_text_with_a_horizontal_merge_above():
    text = tika(
        ["序号", "指标名称", "单位", "现状值（2020年）", "目标值"],
        ["", "", "", "", "2025年", "2030年"],
        ["1", "森林覆盖率", "%", "60", "61", "62"],
        ["2", "河长制", "-", "实施", "实施", "实施"],
    )
    table = plan_of(text).tables[0]
    assert table.kind == "indicator"
    assert [(c.key, c.header) for c in table.columns[3:]] == [
        ("baseline", "现状值（2020年）"),
        ("target_2025", "目标值2025年"),
        ("target_2030", "目标值2030年"),
    ]
    assert [r.cells["target_2030"].text for r in table.rows] == ["62", "实施"]  # type: ignore[union-attr]


def test_a_title_row_inside_the_table_becomes_the_caption():
    text = tika(
        ["某某指标体系"],
        ["序号", "指标名称", "单位", "现状值（2020年）", "2025年目标值"],
        ["1", "森林覆盖率", "%", "60", "61"],
        ["2", "河长制", "-", "实施", "实施"],
    )
    table = plan_of(text).tables[0]
    assert (table.kind, table.caption, len(table.rows)) == ("indicator", "某某指标体系", 2)


def test_a_row_wide_merged_cell_in_a_grid_is_a_group_row():
    from ecociv.ingest.document import Block, DocCell, DocTable, Document
    from ecociv.model import SourceSpan

    def row(r: int, texts: list[str], merged_from: int | None = None) -> list[DocCell]:
        return [
            DocCell(
                text=t,
                where=SourceSpan(table=0, row=r, col=c),
                merged_into=(r, merged_from)
                if merged_from is not None and c > merged_from
                else None,
            )
            for c, t in enumerate(texts)
        ]

    grid = [
        row(0, ["序号", "指标名称", "单位", "2025年目标值"]),
        row(1, ["一、核心指标", "", "", ""], merged_from=0),
        row(2, ["1", "森林覆盖率", "%", "61"]),
    ]
    table = DocTable(rows=grid, where=SourceSpan(table=0))
    document = Document(
        path="grid.docx", format="docx", blocks=[Block("table", table.where, table=table)]
    )
    plan = plan_from_document(document)
    rows = plan.tables[0].rows
    assert [(r.domain, r.name) for r in rows] == [("一、核心指标", "森林覆盖率")]  # type: ignore[union-attr]
    assert [d.code for d in plan.diagnostics] == ["group_row"]


_CELL = st.sampled_from(
    ["序号", "指标名称", "单位", "现状值（2020年）", "2025年目标值", "项目名称", "投资（万元）",
     "牵头单位", "合计", "1", "森林覆盖率\n①甲\n②乙", "①1\n②2", "-", "/", "2021-2025", "专栏1 甲",
     "", "完成情况", "完成", "区局、镇（街道）", "8.481", "2 3.5"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=1, max_size=8), min_size=1, max_size=8))
def test_any_table_classifies_without_error_and_keeps_its_cells(rows):
    plan = plan_of(tika(*rows, after="注：1该指标为2018年数据。\n"))
    dumped = plan.model_dump_json()
    for row in rows:
        for cell in row:
            for line in cell.split("\n"):
                if line.strip():
                    assert json.dumps(line.strip(), ensure_ascii=False)[1:-1] in dumped, line


def test_a_table_cut_by_a_page_break_is_joined_and_fill_down_runs_on():
    header = ["领域", "序号", "指标名称", "单位", "2025年目标值"]
    first = tika(header, ["甲领域", "1", "森林覆盖率", "%", "61"], before="表1 指标")
    second = tika(header, ["", "2", "河长制", "-", "实施"])
    third = tika(
        ["领域", "序号", "指标名称", "单位", "2025年目标值"],
        ["乙", "3", "甲", "%", "1"],
        before="续表1",
    )
    plan = plan_of(first + second + third)
    assert len(plan.tables) == 1
    rows = plan.tables[0].rows
    assert [(r.seq, r.domain) for r in rows] == [("1", "甲领域"), ("2", "甲领域"), ("3", "乙")]  # type: ignore[union-attr]
    joins = [d for d in plan.diagnostics if d.code == "table_continued"]
    assert [d.text for d in joins] == [None, "续表1"]


def test_a_captioned_table_with_the_same_header_is_not_a_continuation():
    header = ["领域", "序号", "指标名称", "单位", "2025年目标值"]
    text = tika(header, ["甲", "1", "甲", "%", "1"], before="表1 国家") + tika(
        header, ["乙", "1", "乙", "%", "1"], before="表2 省级"
    )
    assert len(plan_of(text).tables) == 2


def test_a_cell_with_a_name_per_standard_and_the_marker_legend():
    text = tika(
        INDICATOR_HEADER,
        ["甲", "1", "林草覆盖率**\n森林覆盖率*", "%", "约束性", "60", "61"],
        ["甲", "2", "绿色贷款*", "亿元", "参考性", "1", "2"],
        after="注：标*的为省级指标，标**的为国家指标。\n",
    )
    rows = plan_of(text).tables[0].rows
    assert rows[0].scope_names == {"national": "林草覆盖率", "provincial": "森林覆盖率"}  # type: ignore[union-attr]
    assert (rows[0].name, rows[0].marker) == ("林草覆盖率", None)  # type: ignore[union-attr]
    assert (rows[1].name, rows[1].marker, rows[1].scope_names) == ("绿色贷款", "*", {})  # type: ignore[union-attr]


def test_project_category_from_a_row_wide_cell():
    header = ["序号", "项目名称", "实施年限", "投资（万元）", "牵头单位"]
    text = tika(
        header,
        ["一、生态保护类"],
        ["1", "项目A", "2021-2022", "100", "县局"],
        ["二、污染防治类"],
        ["2", "项目B", "2022", "——", "县局"],
    )
    rows = plan_of(text).tables[0].rows
    assert [(r.seq, r.category, r.investment_wan_yuan) for r in rows] == [  # type: ignore[union-attr]
        ("1", "一、生态保护类", 100),
        ("2", "二、污染防治类", None),
    ]


def test_markers_inside_one_line_are_separate_measures():
    parts = analyse_name("空气质量：①优良天数比例②细颗粒物浓度")
    assert (parts.title, [i.text for i in parts.items]) == (
        "空气质量",
        ["优良天数比例", "细颗粒物浓度"],
    )
    pieces = split_for_items("①85%；②30", 2)
    assert pieces is not None and [p.text for p in pieces] == ["85%；", "30"]
