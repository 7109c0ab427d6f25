"""The package scan, the defused XML check and the cell budget, on small literal inputs."""

from __future__ import annotations

import io
import zipfile

import hostile
import pytest
from fixture_builders import write_plan_docx, write_plan_xlsx
from hypothesis import given
from hypothesis import strategies as st

from ecociv.errors import InputError
from ecociv.ingest.budget import CellBudget
from ecociv.ingest.cell_count import count_cells
from ecociv.ingest.limits import package_limits
from ecociv.ingest.package_scan import _area, scan_package
from ecociv.ingest.safe_xml import MAX_XML_DEPTH, XmlCheck


def _check(xml: bytes, chunk: int = 7):
    check = XmlCheck()
    for start in range(0, len(xml), chunk):
        check.feed(xml[start : start + chunk])
    return check.close()


@pytest.mark.parametrize("depth", [1, 100, MAX_XML_DEPTH])
def test_nesting_up_to_the_limit_passes(depth):
    assert _check(b"<a>" * depth + b"</a>" * depth) is None


@pytest.mark.parametrize("depth", [MAX_XML_DEPTH + 1, 5_000])
def test_nesting_past_the_limit_is_refused(depth):
    problem = _check(b"<a>" * depth + b"</a>" * depth, chunk=4096)
    assert problem is not None and problem.kind == "depth"


@pytest.mark.parametrize(
    "doctype",
    [
        b"<!DOCTYPE r>",
        b'<!DOCTYPE r [<!ENTITY e "x">]>',
        b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/r.dtd">',
        b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
    ],
)
def test_any_dtd_is_refused_before_an_entity_is_seen(doctype):
    problem = _check(b'<?xml version="1.0"?>' + doctype + b"<r>&e;</r>")
    assert problem is not None and problem.kind == "dtd"


@pytest.mark.parametrize("encoding", ["EBCDIC-US", "ISO-8859-1", "bogus", "GB2312"])
def test_encodings_other_than_utf8_and_utf16_are_refused(encoding):
    problem = _check(f'<?xml version="1.0" encoding="{encoding}"?><r/>'.encode())
    assert problem is not None and (problem.kind, problem.detail) == ("encoding", encoding)


@pytest.mark.parametrize("encoding", ["UTF-8", "utf-8", "UTF-16"])
def test_utf8_and_utf16_parts_pass(encoding):
    xml = f'<?xml version="1.0" encoding="{encoding}"?><r>生态</r>'
    data = xml.encode("utf-16") if encoding == "UTF-16" else xml.encode("utf-8")
    assert _check(data) is None


def test_malformed_xml_is_reported_with_its_position():
    problem = _check(b"<r>\n<a x='1' x='2'/></r>")
    assert problem is not None
    assert (problem.kind, problem.line) == ("syntax", 2)
    assert problem.position("en").startswith("line 2, column")


@pytest.mark.parametrize(
    ("ref", "area"),
    [
        (b"A1:C3", 9),
        (b"B2", 1),
        (b"$A$1:$B$2", 4),
        (b"C3:A1", 9),
        (b"A1:XFD1048576", 16384 * 1048576),
        (b"bad", 0),
        (b"A1:B2:C3", 0),
    ],
)
def test_merged_range_areas(ref, area):
    assert _area(ref) == area


def test_the_scan_counts_the_same_cells_as_the_streaming_count(tmp_path):
    docx = write_plan_docx(tmp_path / "plan.docx")
    xlsx = write_plan_xlsx(tmp_path / "plan.xlsx")
    assert scan_package(docx, "docx", package_limits()).cells == count_cells(docx, "docx") == 131
    scanned = scan_package(xlsx, "xlsx", package_limits())
    assert scanned.cells == count_cells(xlsx, "xlsx")
    assert scanned.merged_area > 0


def test_a_part_with_a_bad_crc_is_named(tmp_path):
    data = bytearray((write_plan_docx(tmp_path / "plan.docx")).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start] ^= 0xFF
    path = tmp_path / "crc.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as raised:
        scan_package(path, "docx", package_limits())
    assert "word/document.xml" in raised.value.en


def test_real_unpacked_bytes_are_counted_not_the_declared_sizes(tmp_path, monkeypatch):
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "word/document.xml", b"<w:document>" + b" " * (3 * 1024 * 1024) + b"</w:document>"
        )
    monkeypatch.setenv("ECOCIV_MAX_XML_PART_MB", "2")
    with pytest.raises(InputError) as raised:
        scan_package(path, "docx", package_limits())
    assert "word/document.xml" in raised.value.en and "ECOCIV_MAX_XML_PART_MB" in raised.value.en


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(0, 600)), min_size=1, max_size=8))
def test_the_budget_grants_until_the_limit_and_then_names_the_table(tables):
    budget = CellBudget(100_000, "ECOCIV_MAX_CELLS", "plan.docx")
    used = 0
    for rows, cols in tables:
        if used + rows * cols <= 100_000:
            budget.take(rows, cols, table_zh="表", table_en="table 1", declared="w:gridSpan")
            used += rows * cols
        else:
            with pytest.raises(InputError) as raised:
                budget.take(rows, cols, table_zh="表", table_en="table 1", declared="w:gridSpan")
            assert f"{rows:,} rows × {cols:,} columns" in raised.value.en
            assert "ECOCIV_MAX_CELLS" in raised.value.en
            return
    assert budget.used == used


def test_a_part_declared_xml_by_its_content_type_is_checked_whatever_its_name(tmp_path):
    source = write_plan_docx(tmp_path / "plan.docx")
    path = tmp_path / "renamed.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/extra.bin" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/></Types>',
                )
            new.writestr(info, data)
        new.writestr("word/extra.bin", b'<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>')
        new.writestr(
            "word/media/image9.svg",
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>',
        )
    with pytest.raises(InputError) as raised:
        scan_package(path, "docx", package_limits())
    assert "word/extra.bin" in raised.value.en and "DTD" in raised.value.en


def test_an_svg_image_with_its_dtd_is_not_refused(tmp_path):
    source = write_plan_docx(tmp_path / "plan.docx")
    path = tmp_path / "svg.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        new.writestr(
            "word/media/image9.svg",
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>',
        )
    assert scan_package(path, "docx", package_limits()).cells == 131


@pytest.mark.parametrize("form", ["path", "bytes", "stream"])
def test_an_uploaded_workbook_is_scanned_before_openpyxl_sees_it(tmp_path, form):
    """``check_workbook`` guards the other openpyxl callers (bulk-entry, exchange import)."""
    from ecociv.ingest.limits import check_workbook

    healthy = write_plan_xlsx(tmp_path / "plan.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(hostile.xlsx_huge_merged_range(healthy.read_bytes()))
    for path, refused in ((healthy, False), (bomb, True)):
        source = {
            "path": path,
            "bytes": path.read_bytes(),
            "stream": io.BytesIO(path.read_bytes()),
        }[form]
        if refused:
            with pytest.raises(InputError) as raised:
                check_workbook(source, where="upload.xlsx")
            assert raised.value.where == "upload.xlsx" and "merged ranges" in raised.value.en
        else:
            check_workbook(source, where="upload.xlsx")
            if form == "stream":
                assert source.tell() == 0
    with pytest.raises(InputError):
        check_workbook(b"not a zip", where="upload.xlsx")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_zip_needing_an_unknown_zip_version_is_refused_in_one_line(kind, tmp_path):
    """A flipped byte in the central directory's "version needed to extract" makes zipfile
    raise NotImplementedError, not BadZipFile (found by the fuzz corpus, seed 2026 case 557)."""
    from ecociv.ingest.limits import check_input

    path = tmp_path / f"plan.{kind}"
    (write_plan_docx if kind == "docx" else write_plan_xlsx)(path)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 140  # version 14.0 needed to extract; zipfile knows up to 6.3
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as refused:
        check_input(path)
    assert "zip" in refused.value.en
