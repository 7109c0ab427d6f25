"""Scan every part of a .docx/.xlsx package before a reader opens it (压缩包逐部件检查).

One streaming pass over the zip, 1 MiB at a time, never holding a part in memory:

* **zip damage** (bad CRC, truncated data, an unknown compression method, encryption) is
  refused with the part's name;
* **real unpacked sizes** are counted as the bytes come out (the sizes in the zip directory
  can lie): the package against ``ECOCIV_MAX_UNPACKED_MB``, each XML part against
  ``ECOCIV_MAX_XML_PART_MB``;
* **every XML part** goes through :class:`~ecociv.ingest.safe_xml.XmlCheck`: a DTD (entity
  declarations, external references) or nesting deeper than 256 levels is refused; a part
  that is not well-formed is refused with its line and column — except an .xlsx worksheet,
  which the reader leaves out with a diagnostic, keeping the other sheets;
* **declared sizes**: table cells (``w:tc`` of the body, ``c`` of the worksheets) and the
  area of the worksheets' merged ranges (``mergeCell ref="A1:XFD1048576"`` is 17 billion
  positions: openpyxl would create an object for each) are counted against
  ``ECOCIV_MAX_CELLS``.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ecociv.errors import InputError
from ecociv.ingest.cell_count import DOCX_CELL, XLSX_CELL, is_worksheet
from ecociv.ingest.safe_xml import XmlCheck, XmlProblem, defused_parser

_CHUNK = 1 << 20
_OVERLAP = 512  # longer than any match below, so a match cut by a chunk edge is seen whole
_XML_SUFFIXES = (".xml", ".rels")
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_BYTES = 1 << 20
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]{0,400}?\bref\s*=\s*[\"']([^\"']{0,40})[\"']")
_CELL_REF = re.compile(rb"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_REASON_CHARS = 160  # a zip error can quote a whole damaged header
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)


@dataclass
class PackageLimits:
    """The limits a scan enforces, in bytes and cells."""

    unpacked_bytes: int
    xml_part_bytes: int
    cells: int
    names: dict[str, str]  # limit -> the environment variable that raises it


@dataclass
class PackageScan:
    """What the scan counted."""

    unpacked_bytes: int = 0
    cells: int = 0
    merged_area: int = 0


def scan_package(
    source: Path | BinaryIO, kind: str, limits: PackageLimits, *, where: str | None = None
) -> PackageScan:
    """Scan every part of the .docx/.xlsx *source* (a path or an open binary file); refuse
    it with an :class:`InputError` located at *where* (default: the path)."""
    scan = PackageScan()
    where = where or str(source)
    with zipfile.ZipFile(source) as package:
        xml_names, xml_extensions = _xml_content_types(package)
        for info in package.infolist():
            if info.is_dir():
                continue
            name = info.filename
            is_xml = (
                name.lower().endswith(_XML_SUFFIXES)
                or name in xml_names
                or name.rpartition(".")[2].lower() in xml_extensions
            )
            _scan_part(package, info, kind, is_xml, limits, scan, where)
    return scan


def _xml_content_types(package: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """Part names and extensions that ``[Content_Types].xml`` declares as XML.

    python-docx and openpyxl parse a part by its content type, whatever its name, so a
    ``word/document.bin`` declared as the main document is checked like an ``.xml`` part.
    SVG images are XML too but neither library parses them (and they may carry a DTD).
    """
    try:
        with package.open(_CONTENT_TYPES) as part:
            data = part.read(_CONTENT_TYPES_BYTES + 1)
    except KeyError:
        return set(), set()
    except ZIP_ERRORS:
        return set(), set()  # the main loop names the damage
    if len(data) > _CONTENT_TYPES_BYTES or XmlCheck.problem_of(data) is not None:
        return set(), set()  # the main loop checks it as an .xml part and says what is wrong
    root = etree.fromstring(data, defused_parser())
    names, extensions = set(), set()
    for element in root:
        content_type = element.get("ContentType", "").lower()
        if not content_type.endswith(("+xml", "/xml")) or content_type == "image/svg+xml":
            continue
        if element.get("PartName"):
            names.add(element.get("PartName", "").lstrip("/"))
        elif element.get("Extension"):
            extensions.add(element.get("Extension", "").lower())
    return names, extensions


def _scan_part(
    package: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    kind: str,
    is_xml: bool,
    limits: PackageLimits,
    scan: PackageScan,
    where: str,
) -> None:
    name = info.filename
    cells = DOCX_CELL if kind == "docx" and name == "word/document.xml" else None
    sheet = kind == "xlsx" and is_worksheet(name)
    if sheet:
        cells = XLSX_CELL
    check = XmlCheck() if is_xml else None
    size = 0
    for chunk, window, cut in _chunks(package, info, where):
        size += len(chunk)
        scan.unpacked_bytes += len(chunk)
        if scan.unpacked_bytes > limits.unpacked_bytes:
            raise _over(where, "unpacked", scan.unpacked_bytes, limits)
        if is_xml and size > limits.xml_part_bytes:
            raise _over(where, "xml_part", size, limits, part=name)
        if check is not None:
            check.feed(chunk)
        if cells is not None:
            scan.cells += sum(1 for m in cells.finditer(window) if m.start() < cut)
            if scan.cells > limits.cells:
                raise _over(where, "cells", scan.cells, limits)
        if sheet:
            scan.merged_area += sum(
                _area(m.group(1)) for m in _MERGE.finditer(window) if m.start() < cut
            )
            if scan.merged_area > limits.cells:
                raise _over(where, "merged", scan.merged_area, limits, part=name)
    problem = check.close() if check is not None else None
    if problem is None:
        return
    if sheet and problem.kind == "syntax":
        return  # the .xlsx reader leaves this sheet out, with a diagnostic
    raise _bad_xml(where, name, problem)


def _chunks(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, where: str
) -> Iterator[tuple[bytes, bytes, int]]:
    """``(new bytes, window, cut)`` triples, 1 MiB of new bytes at a time.

    A window is the previous window's tail plus the new bytes, so a match cut by a chunk
    edge is seen whole; only matches that start before *cut* count in this window.
    """
    carry = b""
    try:
        with package.open(info) as part:
            while chunk := part.read(_CHUNK):
                window = carry + chunk
                cut = max(0, len(window) - _OVERLAP)
                yield chunk, window, cut
                carry = window[cut:]
        if carry:
            yield b"", carry, len(carry)
    except ZIP_ERRORS as exc:
        raise InputError(
            f"文件已损坏：压缩包内的部件 {info.filename} 无法解压（{type(exc).__name__}）；请重新导出或下载",
            f"the file is damaged: the part {info.filename} cannot be unpacked "
            f"({type(exc).__name__}: {str(exc)[:_REASON_CHARS]}); export or download it again",
            where=where,
        ) from exc


def _area(ref: bytes) -> int:
    """Cells covered by a range reference such as ``A1:C3`` (0 when it does not parse)."""
    ends = [_CELL_REF.match(part) for part in ref.split(b":")]
    if not ends or len(ends) > 2 or not all(ends):
        return 0
    cols = [_column_number(m.group(1)) for m in ends if m]
    rows = [int(m.group(2)) for m in ends if m]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


_MB = 1024 * 1024


def _over(
    where: str, what: str, found: int, limits: PackageLimits, part: str | None = None
) -> InputError:
    env = limits.names[what]
    if what == "unpacked":
        zh = f"文件解压后超过 {_mb(limits.unpacked_bytes)}（可能是恶意构造的压缩包）"
        en = f"the package unpacks to more than {_mb(limits.unpacked_bytes)} (a zip bomb?)"
    elif what == "xml_part":
        zh = f"部件 {part} 解压后超过 {_mb(limits.xml_part_bytes)}"
        en = f"the part {part} unpacks to more than {_mb(limits.xml_part_bytes)}"
    elif what == "cells":
        zh = f"文件含 {found:,} 个以上的表格单元格，超过上限 {limits.cells:,}"
        en = f"the file holds more than {found:,} table cells, over the limit of {limits.cells:,}"
    else:
        zh = f"部件 {part} 的合并单元格区域共覆盖 {found:,} 个单元格，超过上限 {limits.cells:,}"
        en = (
            f"the merged ranges of {part} cover {found:,} cells, over the limit of {limits.cells:,}"
        )
    return InputError(
        f"{zh}；可拆分文件，如确为正常文件可设置环境变量 {env} 提高上限",
        f"{en}; split the file, or if it is genuine raise the limit with {env}",
        where=where,
    )


def _bad_xml(where: str, part: str, problem: XmlProblem) -> InputError:
    at_zh = f"（{problem.position('zh')}）" if problem.line is not None else ""
    at_en = f" ({problem.position('en')})" if problem.line is not None else ""
    if problem.kind == "dtd":
        zh = f"部件 {part} 含文档类型定义（{problem.detail}），Office 文件从不包含；为防实体展开与外部引用，拒绝读取"
        en = (
            f"the part {part} declares a DTD ({problem.detail}), which Office files never "
            "contain; refused (entity expansion, external references)"
        )
    elif problem.kind == "encoding":
        zh = f"部件 {part} 声明的编码 {problem.detail!r} 不是 Office 文件允许的 UTF-8 或 UTF-16"
        en = (
            f"the part {part} declares the encoding {problem.detail!r}; Office files allow "
            "only UTF-8 and UTF-16"
        )
    elif problem.kind == "depth":
        zh = f"部件 {part} 的 XML 嵌套超过 256 层，拒绝读取"
        en = f"the XML of the part {part} nests {problem.detail}; refused"
    else:
        zh = f"部件 {part}{at_zh} 的 XML 格式错误（{problem.detail}）；请在 Office 中打开并另存后重试"
        en = (
            f"the XML of the part {part}{at_en} is malformed ({problem.detail}); "
            "open the file in Office, save it again and retry"
        )
    return InputError(
        f"文件已损坏或不安全：{zh}", f"the file is damaged or unsafe: {en}", where=where
    )


def _mb(size: int) -> str:
    return f"{size / _MB:.3g} MB"
