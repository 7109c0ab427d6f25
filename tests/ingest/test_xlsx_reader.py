"""The .xlsx reader on workbooks written by these tests with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from fixture_builders import INDICATOR_CAPTION, INDICATOR_NOTE, PROJECT_CAPTION, write_plan_xlsx

from ecociv.errors import InputError
from ecociv.ingest.xlsx import read_xlsx, render_value


def _texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return read_xlsx(write_plan_xlsx(tmp_path_factory.mktemp("xlsx") / "plan.xlsx"))


def test_a_heading_per_sheet_then_its_table(plan):
    assert [(b.kind, b.text) for b in plan.blocks if b.kind == "heading"] == [
        ("heading", "表1"),
        ("heading", "表2"),
    ]
    assert [b.kind for b in plan.blocks] == ["heading", "table", "heading", "table"]
    assert plan.format == "xlsx" and len(plan.sha256) == 64


def test_caption_row_and_note_row_are_taken_off_the_grid(plan):
    indicators, projects = plan.tables
    assert indicators.caption == INDICATOR_CAPTION and indicators.notes == [INDICATOR_NOTE]
    assert projects.caption == PROJECT_CAPTION
    assert indicators.rows[0][0].text == "领域"


def test_merged_ranges_become_spans(plan):
    indicators = plan.tables[0]
    assert (indicators.n_rows, indicators.n_cols) == (9, 9)
    assert indicators.rows[0][0].row_span == 2 and indicators.rows[1][0].merged_into == (0, 0)
    assert indicators.rows[0][7].col_span == 2 and indicators.rows[0][8].merged_into == (0, 7)
    assert indicators.rows[4][0].text == "生态安全" and indicators.rows[4][0].row_span == 3
    total = plan.tables[1].rows[-1]
    assert total[0].col_span == 6 and total[6].text == "31400.5"


def test_numbers_read_as_a_person_reads_them(plan):
    texts = _texts(plan.tables[0])
    assert texts[3][6:] == ["100", "100", "100"]  # stored as int
    assert texts[6][6] == "41.2" and texts[7][6] == "0.42"  # stored as float
    assert texts[4][6] == "①86.3\n②31"  # multi-line text kept


def test_source_spans_name_sheet_and_cell(plan):
    cell = plan.tables[0].rows[2][3]
    assert cell.text == "生态文明建设规划"
    assert (cell.where.sheet, cell.where.cell_ref, cell.where.row, cell.where.col) == (
        "表1",
        "D4",
        2,
        3,
    )
    assert cell.where.table == 0 and plan.tables[1].where.table == 1


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (25.600000000000001, "General", "25.6"),
        (0.1 + 0.2, "General", "0.3"),
        (3.0, "General", "3"),
        (1291612, "General", "1291612"),
        (1012771.29, "#,##0.00", "1012771.29"),
        (0.256, "0.0%", "25.6%"),
        (1, "0%", "100%"),
        (dt.datetime(2025, 6, 30), "yyyy-mm-dd", "2025-06-30"),
        (dt.datetime(2025, 6, 30, 8, 15), "yyyy-mm-dd hh:mm", "2025-06-30 08:15:00"),
        (dt.date(2030, 1, 1), "General", "2030-01-01"),
        (True, "General", "TRUE"),
        (-0.0, "General", "0"),
        (1e20, "General", "100000000000000000000"),
        ("  ≥90\r\n②≤28 ", "General", "≥90\n②≤28"),
        (None, "General", ""),
    ],
)
def test_render_value(value, number_format, expected):
    assert render_value(value, number_format) == expected


def test_blank_rows_split_tables_and_lone_cells_are_paragraphs(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "汇总"
    sheet["B2"] = "青岚县指标汇总"
    sheet["B4"] = "表3 空气"
    sheet.append([])
    for row in (["指标", "2025年"], ["PM2.5", 28], ["优良天数比例", 0.9]):
        sheet.append([None, *row])
    sheet["C8"].number_format = "0%"
    sheet["B10"] = "专栏1 水"
    for r, row in enumerate((["指标", "目标"], ["Ⅲ类比例", 90]), start=11):
        sheet.cell(row=r, column=2, value=row[0])
        sheet.cell(row=r, column=3, value=row[1])
    sheet["B14"] = "注：数据为示例。"
    workbook.create_sheet("空表").sheet_state = "hidden"
    path = tmp_path / "split.xlsx"
    workbook.save(str(path))
    read = read_xlsx(path)
    assert [(b.kind, b.text) for b in read.blocks if b.kind != "table"] == [
        ("heading", "汇总"),
        ("paragraph", "青岚县指标汇总"),
        ("heading", "空表"),
    ]
    air, water = read.tables
    assert air.caption == "表3 空气"  # the caption row stood alone above a blank row
    assert _texts(air) == [["指标", "2025年"], ["PM2.5", "28"], ["优良天数比例", "90%"]]
    assert air.rows[2][1].where.cell_ref == "C8"
    assert water.caption == "专栏1 水" and water.notes == ["注：数据为示例。"]
    assert _texts(water) == [["指标", "目标"], ["Ⅲ类比例", "90"]]
    assert [(d.code, d.where.sheet) for d in read.diagnostics] == [("xlsx_hidden_sheet", "空表")]


def test_a_formula_without_a_saved_result_is_kept_with_a_diagnostic(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["项目", "投资"])
    sheet.append(["甲", 10])
    sheet.append(["合计", "=SUM(B2:B2)"])
    path = tmp_path / "formula.xlsx"
    workbook.save(str(path))
    read = read_xlsx(path)
    assert _texts(read.tables[0])[2] == ["合计", "=SUM(B2:B2)"]
    (diagnostic,) = read.diagnostics
    assert diagnostic.code == "xlsx_formula_without_value"
    assert diagnostic.where.cell_ref == "B3"


def test_a_damaged_workbook_is_a_clear_error(tmp_path):
    good = write_plan_xlsx(tmp_path / "good.xlsx")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(InputError) as raised:
        read_xlsx(truncated)
    assert "damaged" in raised.value.en and raised.value.where == str(truncated)


def test_a_stray_far_away_cell_does_not_blow_up_the_grid(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["指标", "目标"])
    sheet.append(["森林覆盖率", "≥42"])
    sheet["XFD100000"] = "备忘"
    path = tmp_path / "sparse.xlsx"
    workbook.save(str(path))
    read = read_xlsx(path)
    assert _texts(read.tables[0]) == [["指标", "目标"], ["森林覆盖率", "≥42"]]
    assert read.blocks[-1].kind == "paragraph"
    assert read.blocks[-1].where.cell_ref == "XFD100000"


def test_merged_ranges_without_text_make_no_table(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["指标", "目标"])
    sheet.append(["森林覆盖率", "≥42"])
    sheet.merge_cells("A4:C60")
    path = tmp_path / "empty_merge.xlsx"
    workbook.save(str(path))
    read = read_xlsx(path)
    assert [b.kind for b in read.blocks] == ["heading", "table"]
    assert read.tables[0].n_rows == 2


def test_the_suffix_does_not_matter(tmp_path):
    path = tmp_path / "plan.dat"
    path.write_bytes(write_plan_xlsx(tmp_path / "plan.xlsx").read_bytes())
    assert [t.caption for t in read_xlsx(path).tables] == [INDICATOR_CAPTION, PROJECT_CAPTION]
