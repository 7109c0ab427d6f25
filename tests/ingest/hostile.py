"""Hostile plan files: the named cases of issues 11 and 18, built from a healthy package.

Each builder takes the bytes of a healthy .docx or .xlsx (written by
``tests/ingest/fixture_builders.py``) and returns the bytes of a damaged or hostile one.
They are shared by the regression tests (one test per reported case) and by the seeded
fuzz generator (:mod:`corpus`), which combines them with random mutations.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

DOCUMENT = "word/document.xml"
SHEET = "xl/worksheets/sheet1.xml"

Builder = Callable[[bytes], bytes]


def rewrite(package: bytes, changes: dict[str, bytes | None]) -> bytes:
    """*package* with some members replaced (``None`` removes one; new names are added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename in changes:
                    continue
                target.writestr(info.filename, source.read(info.filename))
            for name, data in changes.items():
                if data is not None:
                    target.writestr(name, data)
    return out.getvalue()


def member(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return source.read(name)


def _sub_member(package: bytes, name: str, pattern: bytes, repl: bytes, count: int = 1) -> bytes:
    data = member(package, name)
    changed = re.sub(pattern, repl, data, count=count)
    assert changed != data, f"{pattern!r} not found in {name}"
    return rewrite(package, {name: changed})


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """*doctype* placed after the XML declaration of *xml* (or first, when it has none)."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml


# --------------------------------------------------------------------------- .docx


def docx_huge_grid_before(package: bytes) -> bytes:
    """A row that skips 2**31 grid columns before its first cell (was: MemoryError)."""
    return _sub_member(
        package,
        DOCUMENT,
        rb"<w:trPr>|<w:tr>",
        rb'<w:tr><w:trPr><w:gridBefore w:val="2147483647"/></w:trPr>',
    )


def docx_huge_grid_span(package: bytes) -> bytes:
    """A cell that spans 50 million grid columns (was: a hang)."""
    return _sub_member(package, DOCUMENT, rb"<w:tcPr>", rb'<w:tcPr><w:gridSpan w:val="50000000"/>')


def docx_huge_tbl_grid(package: bytes) -> bytes:
    """A table grid of 300,000 columns (a few hundred KB compressed to little; was: a hang)."""
    cols = b'<w:gridCol w:w="10"/>' * 300_000
    return _sub_member(package, DOCUMENT, rb"<w:tblGrid>", b"<w:tblGrid>" + cols)


def docx_malformed_body(package: bytes) -> bytes:
    """A body whose XML is cut in the middle of an element (was: a hang)."""
    data = member(package, DOCUMENT)
    return rewrite(package, {DOCUMENT: data[: len(data) // 2] + b"<w:p><w:r"})


def docx_entity_expansion(package: bytes) -> bytes:
    """A billion-laughs DTD in the body."""
    laughs = b'<!ENTITY a0 "ha">' + b"".join(
        b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">'
        % ((i,) + (i - 1,) * 10)
        for i in range(1, 10)
    )
    body = member(package, DOCUMENT).replace(b"<w:t>", b"<w:t>&a9;", 1)
    dtd = b"<!DOCTYPE w:document [" + laughs + b"]>"
    return rewrite(package, {DOCUMENT: _with_doctype(body, dtd)})


def docx_external_entity(package: bytes) -> bytes:
    """An external entity (XXE) pointing at a local file."""
    body = member(package, DOCUMENT).replace(b"<w:t>", b"<w:t>&x;", 1)
    dtd = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return rewrite(package, {DOCUMENT: _with_doctype(body, dtd)})


def docx_deep_nesting(package: bytes) -> bytes:
    """Content controls nested 100,000 deep in the body."""
    depth = 100_000
    nest = b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth
    return _sub_member(package, DOCUMENT, rb"<w:body>", b"<w:body>" + nest)


def docx_many_cells(package: bytes, rows: int = 1_800, cols: int = 250) -> bytes:
    """A table of *rows* × *cols* empty cells: 450,000 ``w:tc`` (was: past 90 s)."""
    row = b"<w:tr>" + b"<w:tc><w:p/></w:tc>" * cols + b"</w:tr>"
    table = (
        b"<w:tbl><w:tblGrid>" + b"<w:gridCol/>" * cols + b"</w:tblGrid>" + row * rows + b"</w:tbl>"
    )
    return _sub_member(package, DOCUMENT, rb"<w:body>", b"<w:body>" + table)


def docx_non_numeric_span(package: bytes) -> bytes:
    """A ``w:gridSpan`` whose value is not a number."""
    return _sub_member(package, DOCUMENT, rb"<w:tcPr>", rb'<w:tcPr><w:gridSpan w:val="wide"/>')


def docx_without_body(package: bytes) -> bytes:
    """A body element renamed (found by the fuzz corpus, seed 2026 case 176: AttributeError)."""
    return _sub_member(package, DOCUMENT, rb"<(/?)w:body>", rb"<\1w:bodx>", count=2)


# --------------------------------------------------------------------------- .xlsx


def xlsx_entity_declaration(package: bytes) -> bytes:
    """A sheet with an entity declaration and a reference to it (was: ``undefined entity &e;``)."""
    data = member(package, SHEET)
    dtd = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    body = re.sub(rb"<v>[^<]*</v>", b"<v>&e;</v>", data, count=1)
    return rewrite(package, {SHEET: _with_doctype(body, dtd)})


def xlsx_garbage_sheet(package: bytes) -> bytes:
    """The first sheet's XML replaced by bytes that are not XML."""
    return rewrite(package, {SHEET: b"\x8f\x00garbage\xff" * 40})


def xlsx_shared_string_out_of_range(package: bytes) -> bytes:
    """A shared-string cell pointing past the end of the shared-string table."""
    return _sub_member(package, SHEET, rb't="inlineStr"><is>.*?</is>', rb't="s"><v>99999</v>')


def xlsx_bad_style_index(package: bytes) -> bytes:
    """A cell whose style index does not exist."""
    return _sub_member(package, SHEET, rb"<c r=\"([A-Z]+\d+)\"", rb'<c r="\1" s="4000"')


def xlsx_duplicate_attribute(package: bytes) -> bytes:
    """A cell element with the same attribute twice (not well-formed XML)."""
    return _sub_member(package, SHEET, rb"<c r=\"([A-Z]+\d+)\"", rb'<c r="\1" r="\1"')


def xlsx_chartsheet(package: bytes) -> bytes:
    """The first sheet declared as a chartsheet whose part is a worksheet (was: AttributeError)."""
    rels = "xl/_rels/workbook.xml.rels"
    data = member(package, rels)
    data = re.sub(
        rb"(Target=\"(?:/xl/)?worksheets/sheet1.xml\"[^>]*Type=\")[^\"]*|(Type=\")[^\"]*(\"[^>]*Target=\"(?:/xl/)?worksheets/sheet1.xml\")",
        lambda m: (
            (m.group(1) or m.group(2))
            + b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"
            + (m.group(3) or b"")
        ),
        data,
    )
    return rewrite(package, {rels: data})


def xlsx_huge_merged_range(package: bytes) -> bytes:
    """A merged range over the whole sheet, 17 billion cells (was: 6.9 GB, a hang)."""
    merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    data = member(package, SHEET)
    data = re.sub(rb"<mergeCells.*?</mergeCells>", b"", data, flags=re.S)
    data = data.replace(b"</sheetData>", b"</sheetData>" + merge, 1)
    return rewrite(package, {SHEET: data})


def xlsx_far_cell(package: bytes) -> bytes:
    """A text cell at the last column of a row inside a table: its bounding box is huge."""
    data = member(package, SHEET)
    match = re.search(rb"<row r=\"(\d+)\"[^>]*>", data)
    assert match
    row = match.group(1)
    far = b'<c r="XFD%s" t="inlineStr"><is><t>far</t></is></c>' % row
    end = data.index(b"</row>", match.end())
    return rewrite(package, {SHEET: data[:end] + far + data[end:]})


DOCX_CASES: dict[str, Builder] = {
    "docx_huge_grid_before": docx_huge_grid_before,
    "docx_huge_grid_span": docx_huge_grid_span,
    "docx_huge_tbl_grid": docx_huge_tbl_grid,
    "docx_malformed_body": docx_malformed_body,
    "docx_entity_expansion": docx_entity_expansion,
    "docx_external_entity": docx_external_entity,
    "docx_deep_nesting": docx_deep_nesting,
    "docx_many_cells": docx_many_cells,
    "docx_non_numeric_span": docx_non_numeric_span,
    "docx_without_body": docx_without_body,
}
XLSX_CASES: dict[str, Builder] = {
    "xlsx_entity_declaration": xlsx_entity_declaration,
    "xlsx_garbage_sheet": xlsx_garbage_sheet,
    "xlsx_shared_string_out_of_range": xlsx_shared_string_out_of_range,
    "xlsx_bad_style_index": xlsx_bad_style_index,
    "xlsx_duplicate_attribute": xlsx_duplicate_attribute,
    "xlsx_chartsheet": xlsx_chartsheet,
    "xlsx_huge_merged_range": xlsx_huge_merged_range,
    "xlsx_far_cell": xlsx_far_cell,
}
