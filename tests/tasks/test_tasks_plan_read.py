"""Reading candidate key tasks from a plan: task tables (.docx, merged cells, two-row
headers, any header wording and column order) and task headings with unit labels."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecociv.cli import build_app
from ecociv.ingest.document import Block, DocCell, DocTable, Document
from ecociv.model import SourceSpan
from ecociv.tasks.plan_read import read_plan_tasks, tasks_in_document


def _docx(tmp_path: Path, build) -> Path:
    document = docx.Document()
    build(document)
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def _fill(table, rows):
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value


def test_a_decomposition_table_with_a_merged_lead_cell(tmp_path):
    def build(document):
        document.add_heading("附件 重点任务分解表", level=1)
        table = document.add_table(rows=4, cols=6)
        _fill(
            table,
            [
                ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
                [
                    "1",
                    "推进污水管网建设",
                    "新建管网20公里",
                    "区住建委",
                    "区生态环境局、各镇街",
                    "2023年底前",
                ],
                ["2", "整治黑臭水体", "完成5条水体整治", "区水利局", "", "2021-2025年"],
                ["3", "加强河长巡河", "每月巡河", None, "各镇街", "长期坚持"],
            ],
        )
        table.cell(2, 3).merge(table.cell(3, 3))

    reading = read_plan_tasks(_docx(tmp_path, build))
    got = [
        (c.title, c.measures, c.lead_units, c.cooperating_units, c.deadline_text, c.deadline_year)
        for c in reading.candidates
    ]
    assert got == [
        ("推进污水管网建设", "新建管网20公里", ["区住建委"], ["区生态环境局", "各镇街"], "2023年底前", 2023),
        ("整治黑臭水体", "完成5条水体整治", ["区水利局"], [], "2021-2025年", 2025),
        ("加强河长巡河", "每月巡河", ["区水利局"], ["各镇街"], "长期坚持", None),
    ]  # fmt: skip
    assert all(c.source == "table" for c in reading.candidates)
    assert reading.candidates[0].caption == "附件 重点任务分解表"
    assert reading.candidates[2].where.row == 3
    assert reading.findings == []


def test_a_two_row_header_splits_the_responsible_units(tmp_path):
    def build(document):
        table = document.add_table(rows=3, cols=4)
        _fill(
            table,
            [
                ["工作任务", "责任单位", None, "完成时间"],
                [None, "牵头部门", "配合部门", None],
                ["开展无废城市创建", "区城管局", "区发改委；区商务委", "2025年"],
            ],
        )
        table.cell(0, 1).merge(table.cell(0, 2))
        table.cell(0, 0).merge(table.cell(1, 0))
        table.cell(0, 3).merge(table.cell(1, 3))

    [task] = read_plan_tasks(_docx(tmp_path, build)).candidates
    assert (task.title, task.lead_units, task.cooperating_units, task.deadline_year) == (
        "开展无废城市创建",
        ["区城管局"],
        ["区发改委", "区商务委"],
        2025,
    )


def test_a_project_table_with_a_task_column_is_not_read_as_tasks(tmp_path):
    def build(document):
        table = document.add_table(rows=2, cols=4)
        _fill(table, [["项目名称", "工作任务", "投资概算（万元）", "牵头单位"],
                      ["生态补偿", "建立补偿机制", "/", "区审计局"]])  # fmt: skip

    reading = read_plan_tasks(_docx(tmp_path, build))
    assert reading.candidates == []
    assert [f.code for f in reading.findings] == ["task_table_is_project_table"]


PLAN_TEXT = """\
第三章 主要任务
第一节 深化水污染防治
一、推进污水管网建设
完善城镇污水管网，新建管网20公里。
牵头单位：区住建委；配合单位：区生态环境局、各镇街
完成时限：2025年底前
二、整治黑臭水体
开展城市黑臭水体整治（牵头单位：区水利局；完成时限：2023年）。
第二节 强化大气污染防治
一、治理扬尘
落实工地扬尘管控。
第四章 保障措施
一、组织领导
加强组织领导，健全工作机制。
二、严格考核
开展年度考核评估。（责任单位：区委组织部）
第五章 “十三五”主要任务完成情况
一、污水治理成效
完成管网建设。
第六章 重点任务
按年度推进。
"""


def test_task_headings_with_unit_labels(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    reading = read_plan_tasks(path)
    got = [
        (
            c.title,
            c.measures,
            c.lead_units,
            c.cooperating_units,
            c.deadline_year,
            c.where.line_start,
        )
        for c in reading.candidates
    ]
    assert got == [
        ("一、推进污水管网建设", "完善城镇污水管网，新建管网20公里。", ["区住建委"], ["区生态环境局", "各镇街"], 2025, 3),
        ("二、整治黑臭水体", "开展城市黑臭水体整治。", ["区水利局"], [], 2023, 7),
        ("一、治理扬尘", "落实工地扬尘管控。", [], [], None, 10),
        ("二、严格考核", "开展年度考核评估。", ["区委组织部"], [], None, 15),
    ]  # fmt: skip
    assert reading.candidates[0].heading_path == [
        "第三章 主要任务",
        "第一节 深化水污染防治",
        "一、推进污水管网建设",
    ]
    # the task chapter's heading without a lead is kept, with a finding; 组织领导 (outside the
    # task chapters, no label) is not a task
    assert [(f.code, f.where.line_start) for f in reading.findings] == [
        ("task_heading_without_lead", 10),
        ("task_chapter_without_headings", 20),
    ]


# ---------------------------------------------------------------- generated variations

SYNONYMS = {
    "title": ["重点任务", "工作任务", "任务", "主要任务", "任务名称"],
    "measures": ["具体措施", "主要措施", "工作内容"],
    "lead": ["牵头单位", "牵头部门", "责任单位", "牵头单位（实施单位）", "牵 头 单 位"],
    "cooperate": ["配合单位", "配合部门", "协同单位"],
    "deadline": ["完成时限", "完成时间", "时间节点"],
}
_AT = SourceSpan(file="generated")


def _cell(text: str, merged_into=None) -> DocCell:
    return DocCell(text=text, where=_AT, merged_into=merged_into)


@given(
    wording=st.fixed_dictionaries({role: st.sampled_from(w) for role, w in SYNONYMS.items()}),
    order=st.permutations(list(SYNONYMS)),
    rows=st.lists(
        st.tuples(
            st.text("水气土林城乡", min_size=1, max_size=6),
            st.sampled_from(["区住建委", "区水利局", "区生态环境局"]),
            st.integers(2021, 2035),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_any_wording_order_and_merged_lead(wording, order, rows):
    header = [_cell(wording[role]) for role in order]
    grid = [header]
    expected = []
    for number, (title, lead, year, merged) in enumerate(rows, start=1):
        values = {
            "title": f"任务{title}",
            "measures": f"措施{number}",
            "lead": lead,
            "cooperate": "各镇街",
            "deadline": f"{year}年底前",
        }
        merge_lead = merged and number > 1
        if merge_lead:
            lead = expected[-1][1]
        cells = []
        for col, role in enumerate(order):
            if role == "lead" and merge_lead:
                origin = grid[-1][col].merged_into or (len(grid) - 1, col)
                cells.append(_cell("", merged_into=origin))
            else:
                cells.append(_cell(values[role]))
        grid.append(cells)
        expected.append((values["title"], lead, year))
    document = Document(
        path="generated",
        format="docx",
        blocks=[Block(kind="table", where=_AT, table=DocTable(rows=grid, where=_AT))],
    )
    reading = tasks_in_document(document)
    got = [(c.title, c.lead_units[0], c.deadline_year) for c in reading.candidates]
    assert got == expected
    assert all(c.cooperating_units == ["各镇街"] for c in reading.candidates)


# ---------------------------------------------------------------- seeds and the command


@pytest.mark.seeds
def test_the_seed_plans_structure_no_tasks(seed_path):
    """Read by hand: none of the seeds has a task chapter (000 and 002 theme their
    chapters, 003 numbers 三…八 by field) or a 牵头单位： label; the only table with a task
    column and a lead column is 000's 表三 重点项目 (line 1445), a project table."""
    readings = {key: read_plan_tasks(seed_path(key)) for key in ("000", "002", "003")}
    assert {key: len(r.candidates) for key, r in readings.items()} == {
        "000": 0,
        "002": 0,
        "003": 0,
    }
    assert [(f.code, f.where.line_start) for f in readings["000"].findings] == [
        ("task_table_is_project_table", 1445)
    ]
    assert readings["002"].findings == readings["003"].findings == []


def test_the_command_prints_candidates_as_json(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["tasks", "read", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [c["title"] for c in document["candidates"]][:2] == [
        "一、推进污水管网建设",
        "二、整治黑臭水体",
    ]
    assert document["candidates"][0]["where"]["line_start"] == 3
    assert document["findings"][0]["code"] == "task_heading_without_lead"
    half = CliRunner().invoke(build_app(), ["tasks", "read", str(path), "--plan", "1"])
    assert "--create" in str(half.exception)
    bare = CliRunner().invoke(build_app(), ["tasks", "read", str(path), "--create"])
    assert "--plan" in str(bare.exception)
    text = CliRunner().invoke(build_app(), ["tasks", "read", str(path)])
    assert "候选任务 4 项" in text.output
    assert "1. 一、推进污水管网建设 ｜ 牵头：区住建委 ｜ 配合：区生态环境局、各镇街" in text.output


TIKA_TABLE = (
    "附表1 重点任务分解表\n"
    "\t序号\n\t重点任务\n\t牵头单位（责任单位）\n\t配合单位\n\t完成时限\n\n"
    "\t1\n\t完善生态补偿机制\n\t区财政局\n\t区生态环境局\n\t2022年\n\n"
    "\t2\n\t开展自然资源资产审计\n\t\n\t\n\t持续推进\n\n\n"
    "正文继续。\n"
)


def test_a_task_table_in_a_text_export_fills_the_lead_down(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(TIKA_TABLE, encoding="utf-8")
    reading = read_plan_tasks(path)
    got = [
        (c.title, c.lead_units, c.cooperating_units, c.deadline_year, c.caption)
        for c in reading.candidates
    ]
    assert got == [
        ("完善生态补偿机制", ["区财政局"], ["区生态环境局"], 2022, "附表1 重点任务分解表"),
        ("开展自然资源资产审计", ["区财政局"], [], None, "附表1 重点任务分解表"),
    ]  # fmt: skip
    assert [f.code for f in reading.findings] == ["task_lead_filled_down"]


UNITS = ["区住建委", "区水利局", "区生态环境局", "各镇街", "区发展改革委"]


@given(
    chapter=st.sampled_from(["第二章 主要任务", "三、重点任务", "第4章 工作任务"]),
    sections=st.lists(
        st.tuples(
            st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True),
            st.lists(st.sampled_from(UNITS), max_size=3, unique=True),
            st.sampled_from(["line", "bracket"]),
            st.sampled_from(["、", "，", ","]),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_generated_task_headings_and_labels(tmp_path_factory, chapter, sections):
    lines = [chapter]
    for number, (lead, helpers, placement, separator) in enumerate(sections, start=1):
        labels = f"牵头单位：{separator.join(lead)}"
        if helpers:
            labels += f"；配合单位：{separator.join(helpers)}"
        lines.append(f"（{'一二三四五'[number - 1]}）任务{number}")
        if placement == "line":
            lines += [f"推进第{number}项工作。", labels]
        else:
            lines.append(f"推进第{number}项工作（{labels}）。")
    lines.append("第九章 保障措施")
    path = tmp_path_factory.mktemp("plan") / "plan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reading = read_plan_tasks(path)
    got = [(c.title, c.lead_units, c.cooperating_units, c.measures) for c in reading.candidates]
    assert got == [
        (f"（{'一二三四五'[n - 1]}）任务{n}", lead, helpers, f"推进第{n}项工作。")
        for n, (lead, helpers, _, _) in enumerate(sections, start=1)
    ]
    assert reading.findings == []


def test_a_workbook_decomposition_table_in_its_own_wording(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "附表2"
    sheet.append(["完成时间", "责任部门", "工作任务", "协同单位"])
    sheet.append(["2024年6月", "区林业局", "森林抚育", "五宝镇、鱼嘴镇"])
    sheet.append(["2025年", None, "宜林荒山造林", None])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "tasks.xlsx"
    book.save(path)
    reading = read_plan_tasks(path)
    got = [
        (c.title, c.lead_units, c.cooperating_units, c.deadline_year) for c in reading.candidates
    ]
    assert got == [
        ("森林抚育", ["区林业局"], ["五宝镇", "鱼嘴镇"], 2024),
        ("宜林荒山造林", ["区林业局"], [], 2025),
    ]
