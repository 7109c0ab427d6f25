"""A .docx plan is checked the same way: locations give the paragraph and the table cell."""

from __future__ import annotations

from docx import Document

from ecociv.cli.check import check_file


def test_a_docx_plan_points_at_paragraphs_and_cells(tmp_path):
    document = Document()
    document.add_paragraph("青岚县生态环境保护“十四五”规划（2021-2025年）")
    document.add_paragraph("到2025年，政府绿色采购比例达到97%。")
    document.add_paragraph("表1 青岚县生态环境保护指标")
    rows = [
        ["序号", "指标名称", "单位", "指标属性", "现状值（2020年）", "2025年目标值"],
        ["1", "政府绿色采购比例", "%", "约束性", "90", "99"],
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    [item] = [f for f in check_file(path).findings if f.kind == "prose.value"]
    cell, paragraph = item.locations
    assert (cell.table, cell.row, cell.column, cell.line_start) == (0, 0, "target_2025", None)
    assert (paragraph.paragraph, paragraph.line_start) == (1, None)
    assert item.values["text"] == "97%"
