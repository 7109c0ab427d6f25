"""The .docx reader on documents written by these tests with python-docx (and raw OOXML)."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from fixture_builders import INDICATOR_CAPTION, INDICATOR_NOTE, PROJECT_CAPTION, write_plan_docx

from ecociv.errors import InputError
from ecociv.ingest.docx import read_docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return read_docx(write_plan_docx(tmp_path_factory.mktemp("docx") / "plan.docx"))


def test_body_order_headings_and_tables(plan):
    kinds = [(b.kind, b.level, b.text[:6]) for b in plan.blocks]
    assert kinds == [
        ("heading", 1, "青岚县生态文"),
        ("heading", 1, "第一章 总则"),
        ("paragraph", None, "本规划范围为"),
        ("heading", 2, "第一节 建设"),
        ("paragraph", None, "围绕生态制度"),
        ("table", None, ""),
        ("heading", 1, "第二章 重点"),
        ("table", None, ""),
        ("paragraph", None, "各牵头单位按"),
    ]
    assert plan.format == "docx" and plan.size_bytes and len(plan.sha256) == 64


def test_caption_and_notes_are_taken_off_the_body(plan):
    indicators, projects = plan.tables
    assert indicators.caption == INDICATOR_CAPTION
    assert indicators.notes == [INDICATOR_NOTE]
    assert projects.caption == PROJECT_CAPTION
    assert projects.notes == []
    body_text = [b.text for b in plan.blocks]
    assert INDICATOR_CAPTION not in body_text and INDICATOR_NOTE not in body_text


def test_two_row_header_vertical_and_horizontal_merges(plan):
    table = plan.tables[0]
    assert (table.n_rows, table.n_cols) == (9, 9)
    top, bottom = table.rows[0], table.rows[1]
    assert top[0].text == "领域" and top[0].row_span == 2
    assert bottom[0].text == "" and bottom[0].merged_into == (0, 0)
    assert top[7].text == "目标值" and top[7].col_span == 2
    assert top[8].merged_into == (0, 7)
    assert [c.text for c in bottom[7:]] == ["2025年", "2030年"]
    assert top[6].text == "现状值\n（2020年）"  # a line break (w:br) inside a cell


def test_group_cells_merged_down(plan):
    rows = plan.tables[0].rows
    domain = rows[4][0]
    assert domain.text == "生态安全" and domain.row_span == 3
    assert [rows[r][0].merged_into for r in (5, 6)] == [(4, 0), (4, 0)]
    assert rows[4][1].row_span == 2 and rows[6][1].text == "（三）生态系统保护"
    assert rows[6][1].merged_into is None


def test_multi_paragraph_cells_keep_their_lines(plan):
    row = plan.tables[0].rows[4]
    assert row[3].text == "环境空气质量\n①优良天数比例\n②细颗粒物（PM2.5）浓度"
    assert row[6].text == "①86.3\n②31"


def test_merged_total_row_and_source_spans(plan):
    projects = plan.tables[1]
    total = projects.rows[-1]
    assert total[0].text == "合计" and total[0].col_span == 6
    assert all(cell.merged_into == (6, 0) for cell in total[1:6])
    assert total[6].text == "31400.5"
    where = projects.rows[3][2].where
    assert (where.table, where.row, where.col) == (1, 3, 2)
    assert where.file.endswith("plan.docx")
    heading = plan.blocks[3]
    assert heading.where.paragraph == 3


def test_every_grid_position_exists(plan):
    for table in plan.tables:
        assert all(len(row) == table.n_cols for row in table.rows)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if cell.merged_into is not None:
                    orow, ocol = cell.merged_into
                    origin = table.rows[orow][ocol]
                    assert orow + origin.row_span > r and ocol + origin.col_span > c


# --------------------------------------------------------------------------- headings


def _styled_paragraph(document, style_name: str, text: str):
    return document.add_paragraph(text, style=style_name)


def _set_outline(element, level: int) -> None:
    ppr = element.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:outlineLvl {W_NS} w:val="{level}"/>'))


def test_headings_from_outline_levels_and_chinese_style_names(tmp_path):
    document = docx.Document()
    styles = document.styles
    chapter = styles.add_style("规划章标题", WD_STYLE_TYPE.PARAGRAPH)
    _set_outline(chapter.element, 0)
    derived = styles.add_style("规划章标题二", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = chapter
    styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    _styled_paragraph(document, "规划章标题", "第一章 总体要求")
    _styled_paragraph(document, "规划章标题二", "第二章 主要任务")
    _styled_paragraph(document, "标题 3", "（一）大气")
    direct = document.add_paragraph("一、直接设置大纲级别")
    _set_outline(direct._p, 1)
    body_text = document.add_paragraph("正文，大纲级别为正文文本")
    _set_outline(body_text._p, 9)
    path = tmp_path / "headings.docx"
    document.save(str(path))
    blocks = read_docx(path).blocks
    assert [(b.kind, b.level) for b in blocks] == [
        ("heading", 1),
        ("heading", 1),
        ("heading", 3),
        ("heading", 2),
        ("paragraph", None),
    ]


# --------------------------------------------------------------------------- raw grids


def _document_with_table(rows: int, cols: int):
    document = docx.Document()
    table = document.add_table(rows=rows, cols=cols)
    for r in range(rows):
        for c in range(cols):
            table.cell(r, c).text = f"r{r}c{c}"
    return document, table


def test_grid_before_and_after_shift_cells_right(tmp_path):
    document, table = _document_with_table(3, 3)
    tr = table._tbl.tr_lst[1]
    tr.remove(tr.tc_lst[0])
    tr.remove(tr.tc_lst[-1])
    tr.insert(
        0,
        parse_xml(f'<w:trPr {W_NS}><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'),
    )
    path = tmp_path / "grid_before.docx"
    document.save(str(path))
    table = read_docx(path).tables[0]
    assert _texts(table)[1] == ["", "r1c1", ""]
    assert table.rows[1][0].merged_into is None and table.n_cols == 3


def test_a_short_row_without_grid_after_is_padded_with_empty_cells(tmp_path):
    document, table = _document_with_table(2, 3)
    tr = table._tbl.tr_lst[1]
    tr.remove(tr.tc_lst[-1])
    path = tmp_path / "short_row.docx"
    document.save(str(path))
    table = read_docx(path).tables[0]
    assert _texts(table) == [["r0c0", "r0c1", "r0c2"], ["r1c0", "r1c1", ""]]
    assert table.rows[1][2].where.col == 2


def test_a_row_wider_than_the_grid_widens_the_table_with_a_diagnostic(tmp_path):
    document, table = _document_with_table(2, 2)
    tr = table._tbl.tr_lst[1]
    tr.append(copy.deepcopy(tr.tc_lst[-1]))
    path = tmp_path / "wide_row.docx"
    document.save(str(path))
    read = read_docx(path)
    assert _texts(read.tables[0]) == [["r0c0", "r0c1", ""], ["r1c0", "r1c1", "r1c1"]]
    assert [d.code for d in read.diagnostics] == ["docx_grid_widened"]


def test_cells_inside_content_controls_keep_their_column(tmp_path):
    document, table = _document_with_table(2, 3)
    tr = table._tbl.tr_lst[1]
    tc = tr.tc_lst[1]
    sdt = parse_xml(f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent/></w:sdt>")
    tr.replace(tc, sdt)
    sdt[1].append(tc)
    path = tmp_path / "sdt.docx"
    document.save(str(path))
    assert _texts(read_docx(path).tables[0])[1] == ["r1c0", "r1c1", "r1c2"]


def test_paragraphs_and_tables_inside_a_body_content_control_keep_their_order(tmp_path):
    document, table = _document_with_table(1, 2)
    caption = document.add_paragraph("表5 封面信息")
    body = document.element.body
    sdt = parse_xml(f"<w:sdt {W_NS}><w:sdtPr/><w:sdtContent/></w:sdt>")
    body.insert(0, sdt)
    sdt[1].append(caption._p)
    sdt[1].append(table._tbl)
    document.add_paragraph("正文")
    path = tmp_path / "body_sdt.docx"
    document.save(str(path))
    read = read_docx(path)
    assert [(b.kind, b.text) for b in read.blocks] == [("table", ""), ("paragraph", "正文")]
    assert read.tables[0].caption == "表5 封面信息"
    assert _texts(read.tables[0]) == [["r0c0", "r0c1"]]


def test_text_in_a_covered_vertical_merge_cell_is_kept_with_a_diagnostic(tmp_path):
    document, table = _document_with_table(2, 2)
    first, second = (tr.tc_lst[0] for tr in table._tbl.tr_lst)
    first.get_or_add_tcPr().append(parse_xml(f'<w:vMerge {W_NS} w:val="restart"/>'))
    second.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {W_NS}/>"))
    path = tmp_path / "vmerge_text.docx"
    document.save(str(path))
    read = read_docx(path)
    cell = read.tables[0].rows[0][0]
    assert cell.text == "r0c0\nr1c0" and cell.row_span == 2
    assert [d.code for d in read.diagnostics] == ["docx_merged_cell_text"]


def test_old_properties_of_a_tracked_change_are_not_read(tmp_path):
    document, table = _document_with_table(2, 3)
    table.cell(0, 0).merge(table.cell(0, 1))
    tc = table._tbl.tr_lst[0].tc_lst[0]
    tc.tcPr.append(
        parse_xml(
            f'<w:tcPrChange {W_NS} w:id="1" w:author="审核人" w:date="2025-01-01T00:00:00Z">'
            '<w:tcPr><w:gridSpan w:val="1"/><w:vMerge w:val="restart"/></w:tcPr></w:tcPrChange>'
        )
    )
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    rows = read_docx(path).tables[0].rows
    assert (rows[0][0].col_span, rows[0][0].row_span, rows[0][1].merged_into) == (2, 1, (0, 0))
    assert rows[1][0].merged_into is None and rows[1][0].text == "r1c0"


def test_legacy_horizontal_merge(tmp_path):
    document, table = _document_with_table(1, 3)
    first, second, _ = table._tbl.tr_lst[0].tc_lst
    first.get_or_add_tcPr().append(parse_xml(f'<w:hMerge {W_NS} w:val="restart"/>'))
    second.get_or_add_tcPr().append(parse_xml(f"<w:hMerge {W_NS}/>"))
    second.remove(second.p_lst[0])
    second.append(parse_xml(f"<w:p {W_NS}/>"))
    path = tmp_path / "hmerge.docx"
    document.save(str(path))
    row = read_docx(path).tables[0].rows[0]
    assert (row[0].text, row[0].col_span, row[1].merged_into, row[2].text) == (
        "r0c0",
        2,
        (0, 0),
        "r0c2",
    )


def test_nested_tables_are_kept_in_the_cell_and_emitted_after_the_parent(tmp_path):
    document, table = _document_with_table(2, 2)
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"内{r}{c}"
    document.add_paragraph("后文")
    path = tmp_path / "nested.docx"
    document.save(str(path))
    read = read_docx(path)
    outer, nested = read.tables
    assert outer.rows[1][1].text == "r1c1"  # the nested table's text is not in the cell
    assert outer.rows[1][1].nested == [nested]
    assert _texts(nested) == [["内00", "内01"], ["内10", "内11"]]
    assert (outer.where.table, nested.where.table) == (0, 1)
    assert nested.rows[1][0].where.table == 1
    assert [b.kind for b in read.blocks] == ["table", "table", "paragraph"]


def test_page_breaks_are_not_line_breaks_and_tabs_are_kept(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("甲")
    run = paragraph.add_run("乙")
    run.add_break(docx.enum.text.WD_BREAK.PAGE)
    paragraph.add_run("丙\t丁")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    assert read_docx(path).blocks[0].text == "甲乙丙\t丁"


# --------------------------------------------------------------------------- damaged input


def test_a_package_with_broken_xml_is_a_clear_error(tmp_path):
    good = write_plan_docx(tmp_path / "good.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(copy.copy(item), data)
    with pytest.raises(InputError) as raised:
        read_docx(broken)
    assert "damaged" in raised.value.en and raised.value.where == str(broken)


def test_a_zip_without_a_word_document_is_a_clear_error(tmp_path):
    path = tmp_path / "not_word.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="damaged"):
        read_docx(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_docx(Path(tmp_path / "absent.docx"))


def test_a_macro_enabled_document_is_read_like_a_docx(tmp_path):
    good = write_plan_docx(tmp_path / "good.docx")
    docm = tmp_path / "plan.docm"
    main_type = "wordprocessingml.document.main+xml"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(docm, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                macro_type = "application/vnd.ms-word.document.macroEnabled.main+xml"
                data = data.replace(
                    f"application/vnd.openxmlformats-officedocument.{main_type}".encode(),
                    macro_type.encode(),
                )
                assert macro_type.encode() in data
            target.writestr(copy.copy(item), data)
    assert [t.caption for t in read_docx(docm).tables] == [INDICATOR_CAPTION, PROJECT_CAPTION]
