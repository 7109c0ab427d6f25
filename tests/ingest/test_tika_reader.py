"""The Tika text reader on small literal exports written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.errors import InputError
from ecociv.ingest.tika import parse_tika_text, read_tika

T = "\t"


def _table(text: str):
    document = parse_tika_text(text, "t.txt")
    tables = document.tables
    assert len(tables) == 1
    return document, tables[0]


def _texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_rows_cells_and_line_spans():
    text = "\n".join(
        [
            "表1 指标",
            f"{T}序号",
            f"{T}指标名称",
            f"{T}目标值",
            "",
            f"{T}1",
            f"{T}森林覆盖率",
            f"{T}≥30",
            "",
            "",
            "后面的段落。",
        ]
    )
    document, table = _table(text)
    assert table.caption == "表1 指标"
    assert _texts(table) == [["序号", "指标名称", "目标值"], ["1", "森林覆盖率", "≥30"]]
    assert table.rows[1][1].where.line_start == 7
    assert table.where.line_start == 2
    assert [b.kind for b in document.blocks] == ["table", "paragraph"]


def test_lines_without_tab_continue_the_cell_and_blank_inside_cell():
    text = "\n".join(
        [
            f"{T}名称",
            f"{T}2020年",
            "",
            "目标值",
            f"{T}备注",
            "",
            f"{T}空气质量",
            "①优良天数比例",
            f"{T}①90",
            "",
            "",
            "②35",
            f"{T}x",
            "",
            "",
            "段落",
        ]
    )
    document, table = _table(text)
    assert _texts(table)[0] == ["名称", "2020年\n\n目标值", "备注"]
    # the row is short of the header when the blank pair comes and a cell resumes at once:
    # the pair is two empty paragraphs inside the cell, not the end of the table.
    assert _texts(table)[1] == ["空气质量\n①优良天数比例", "①90\n\n\n②35", "x"]
    assert table.rows[1][1].where.line_end == 12
    assert document.blocks[-1].text == "段落"


def test_segments_split_by_empty_paragraph_are_joined_by_column_count():
    header = [f"{T}a", f"{T}b", f"{T}c", f"{T}d", ""]
    row = [f"{T}1", f"{T}甲", "", f"{T}x", f"{T}y", ""]
    full = [f"{T}2", f"{T}乙", f"{T}x", f"{T}y", "", ""]
    _, table = _table("\n".join(header + row + full))
    assert [len(r) for r in table.rows] == [4, 4, 4]
    assert _texts(table)[1] == ["1", "甲", "x", "y"]


def test_short_rows_are_kept_as_found():
    text = "\n".join(
        [f"{T}a", f"{T}b", f"{T}c", "", f"{T}1", f"{T}2", f"{T}3", "", f"{T}合计", f"{T}9", "", ""]
    )
    _, table = _table(text)
    assert _texts(table) == [["a", "b", "c"], ["1", "2", "3"], ["合计", "9"]]


def test_bookmarks_are_stripped_and_headings_get_levels():
    text = "\n".join(
        [
            "[bookmark: _Toc1]一、总则",
            "[bookmark: _Toc2]（一）指导思想",
            "这是一个段落，很长很长。",
            "[bookmark: _Toc3]（二）规划范围",
            f"{T}[bookmark: x]专栏1 重点工程",
            "",
            f"{T}内容",
            "",
            "",
        ]
    )
    document = parse_tika_text(text, "t.txt")
    kinds = [(b.kind, b.level, b.text) for b in document.blocks if b.kind != "table"]
    assert kinds[0] == ("heading", 1, "一、总则")
    assert kinds[1] == ("heading", 2, "（一）指导思想")
    assert kinds[2][0] == "paragraph"
    assert document.tables[0].rows[0][0].text == "专栏1 重点工程"


def test_notes_follow_their_table():
    text = "\n".join(
        [
            f"{T}a",
            f"{T}b",
            "",
            f"{T}1",
            f"{T}2",
            "",
            "",
            "注：1、带[ ]的数据为累计数。",
            "",
            "2、“—”表示无数据。",
            "",
            "第三章  下一章",
        ]
    )
    document, table = _table(text)
    assert table.notes == ["注：1、带[ ]的数据为累计数。", "2、“—”表示无数据。"]
    assert document.blocks[-1].kind == "heading"


def test_stray_tab_line_is_not_a_table():
    document = parse_tika_text(f"段落\n{T}\n[bookmark: _Toc9]二、目标\n", "t.txt")
    assert document.tables == []
    assert [b.kind for b in document.blocks] == ["paragraph", "heading"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_read_tika_detects_encoding(tmp_path: Path, encoding: str):
    path = tmp_path / "plan.txt"
    path.write_bytes(f"表1 指标\n{T}序号\n{T}名称\n\n{T}1\n{T}森林覆盖率\n\n\n".encode(encoding))
    document = read_tika(path)
    assert document.encoding == encoding
    assert document.tables[0].rows[1][1].text == "森林覆盖率"
    assert document.size_bytes == path.stat().st_size


def test_undecodable_bytes_raise_input_error(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xff\xfe\xfa\x00abc\x81")
    with pytest.raises(InputError):
        read_tika(path)


_LINE = st.one_of(
    st.just(""),
    st.just(T),
    st.sampled_from(
        ["甲", "乙乙", "①一", "2 3.5", "注：1说明", "表1 标题", "第一章 总则", "专栏2 工程"]
    ),
    st.sampled_from(["甲", "乙乙", "丙", "1", "-", "≥90"]).map(lambda s: T + s),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=40))
def test_any_text_parses_and_loses_no_line(lines):
    text = "\n".join(lines)
    document = parse_tika_text(text, "t.txt")
    kept: list[str] = []
    for block in document.blocks:
        kept.append(block.text)
        if block.table is not None:
            kept.extend(c.text for row in block.table.rows for c in row)
            kept.append(block.table.caption or "")
            kept.extend(block.table.notes)
    joined = "\n".join(kept)
    for line in lines:
        content = line.strip()
        if content:
            assert content in joined, (content, text)


def test_rows_that_are_all_split_alike_are_joined_to_the_header_length():
    header = [f"{T}a", f"{T}b", f"{T}c", f"{T}d", ""]
    split_row = [f"{T}1", f"{T}甲", "", f"{T}x", f"{T}y", ""]
    _, table = _table("\n".join(header + split_row + split_row + split_row + [""]))
    assert [len(r) for r in table.rows] == [4, 4, 4, 4]
