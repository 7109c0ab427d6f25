"""Check an input file before reading it, and tell which reader it needs.

:func:`check_input` looks at the file's size and first bytes, and counts its table cells
in a streaming scan (it never loads the whole file); it returns ``"docx"``, ``"xlsx"`` or ``"text"``.  The content decides, not
the suffix; a suffix that promises a Word or Excel file the content does not hold is an
error, because the user most likely picked the wrong file.  Every refusal is an
:class:`~ecociv.errors.InputError` whose message says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from pathlib import Path
from typing import BinaryIO, Literal

from ecociv.errors import ConfigError, InputError
from ecociv.ingest.cell_count import count_cells
from ecociv.ingest.package_scan import ZIP_ERRORS, PackageLimits, scan_package

InputKind = Literal["docx", "xlsx", "text"]

DEFAULT_MAX_INPUT_MB = 200
MAX_INPUT_ENV = "ECOCIV_MAX_INPUT_MB"
DEFAULT_MAX_UNPACKED_MB = 1000
MAX_UNPACKED_ENV = "ECOCIV_MAX_UNPACKED_MB"
DEFAULT_MAX_XML_PART_MB = 100
MAX_XML_PART_ENV = "ECOCIV_MAX_XML_PART_MB"
DEFAULT_MAX_CELLS = 200_000
MAX_CELLS_ENV = "ECOCIV_MAX_CELLS"
_MB = 1024 * 1024
_SNIFF_BYTES = 64 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, or an encrypted .docx/.xlsx
_MAIN_PART: dict[str, InputKind] = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_OFFICE_SUFFIXES: dict[str, InputKind] = {
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
_OTHER_FORMATS = (  # (first bytes, name in Chinese, name in English)
    (b"%PDF", "PDF", "PDF"),
    (b"{\\rtf", "RTF", "RTF"),
    (b"\x89PNG", "PNG 图片", "PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "JPEG image"),
    (b"Rar!", "RAR 压缩包", "RAR archive"),
    (b"7z\xbc\xaf", "7z 压缩包", "7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "gzip archive"),
    # Word's other save formats: text, but not a plan's text export.
    (b"<?xml", "XML（如 Word 2003 XML）", "XML (e.g. Word 2003 XML)"),
    (b"<html", "HTML 网页", "HTML web page"),
    (b"<!doctype html", "HTML 网页", "HTML web page"),
    (b"MIME-Version:", "MHT 单个文件网页", "MHT single-file web page"),
)
_CONTROL_BYTES = frozenset(range(0, 9)) | (frozenset(range(14, 32)) - {27})  # not \t \n \r \f ESC


def max_input_bytes() -> int:
    """The file size limit: ``ECOCIV_MAX_INPUT_MB`` megabytes, 200 MB when unset."""
    return int(_positive_from_env(MAX_INPUT_ENV, DEFAULT_MAX_INPUT_MB, "MB") * _MB)


def max_unpacked_bytes() -> int:
    """The limit on a .docx/.xlsx package's unpacked size (a zip bomb guard).

    ``ECOCIV_MAX_UNPACKED_MB`` megabytes, 1000 MB when unset: python-docx and openpyxl read
    every part into memory, so this, not the file size, bounds what a package can cost.
    """
    return int(_positive_from_env(MAX_UNPACKED_ENV, DEFAULT_MAX_UNPACKED_MB, "MB") * _MB)


def max_xml_part_bytes() -> int:
    """The limit on one XML part of a package: ``ECOCIV_MAX_XML_PART_MB``, 100 MB when unset.

    python-docx builds the whole tree of ``word/document.xml`` (several times its size in
    memory), so this, not the package size, bounds what the body can cost.
    """
    return int(_positive_from_env(MAX_XML_PART_ENV, DEFAULT_MAX_XML_PART_MB, "MB") * _MB)


def max_cells() -> int:
    """The limit on table cells: ``ECOCIV_MAX_CELLS``, 200,000 when unset.

    Memory and time grow with cells, so this bounds a run (a .docx of 197,500 cells: 6 s
    of CPU, 790 MB); a real plan has a few thousand cells.
    The same limit bounds the grid positions a reader allocates from declared sizes
    (:class:`ecociv.ingest.budget.CellBudget`) and the area of merged ranges.
    """
    return int(_positive_from_env(MAX_CELLS_ENV, DEFAULT_MAX_CELLS, "个单元格 / cells"))


def _positive_from_env(name: str, default: float, unit: str) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(
            f"环境变量 {name} 应为正数（{unit}），当前为 {raw!r}",
            f"{name} must be a positive number ({unit}), got {raw!r}",
        )
    return value


def check_input(path: str | Path) -> InputKind:
    """Check *path* and return the kind of reader it needs; refuse it with a clear error."""
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise InputError("文件不存在，请检查路径", "file not found; check the path", where=where)
    if not path.is_file():
        raise InputError("不是文件（可能是目录）", "not a regular file (a directory?)", where=where)
    size = path.stat().st_size
    if size == 0:
        raise InputError(
            "文件为空（0 字节），请确认导出或下载已完成",
            "the file is empty (0 bytes); check that the export or download finished",
            where=where,
        )
    limit = max_input_bytes()
    if size > limit:
        raise InputError(
            f"文件大小 {_megabytes(size)} 超过上限 {_megabytes(limit)}；"
            f"可拆分文件，或设置环境变量 {MAX_INPUT_ENV} 提高上限",
            f"the file is {_megabytes(size)}, over the limit of {_megabytes(limit)}; "
            f"split it or raise the limit with {MAX_INPUT_ENV}",
            where=where,
        )
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    expected = _OFFICE_SUFFIXES.get(path.suffix.lower())
    if head.startswith(_ZIP_MAGIC):
        kind = _office_kind(path, expected)
    elif head.startswith(_OLE2_MAGIC):
        raise InputError(
            "这是旧版 Word/Excel 文件（.doc/.xls）或加密文档；请取消密码后另存为 .docx/.xlsx",
            "this is a legacy Word/Excel file (.doc/.xls) or an encrypted document; "
            "remove the password and save it as .docx/.xlsx",
            where=where,
        )
    else:
        kind = _text_kind(head, where)
    if expected is not None and kind != expected:
        raise _wrong_content(where, expected, kind)
    if kind == "text":
        _check_text_cells(path)
    else:
        scan_package(path, kind, package_limits())
    return kind


def check_workbook(source: Path | BinaryIO | bytes, *, where: str) -> None:
    """Scan an uploaded .xlsx before openpyxl opens it (bulk-entry templates, exchange files).

    The same package scan as :func:`check_input`: zip damage, real unpacked sizes, defused
    XML (no DTD, depth 256), cell count and merged-range area; an :class:`InputError` at
    *where* when the workbook is refused.  A file-like *source* is rewound afterwards.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    start = stream.tell() if not isinstance(stream, Path) else 0
    try:
        scan_package(stream, "xlsx", package_limits(), where=where)
    except ZIP_ERRORS as exc:
        raise InputError(
            "文件不是完整的 .xlsx 工作簿（压缩包无法打开）；请重新下载或另存为 .xlsx",
            f"the file is not a complete .xlsx workbook (the zip cannot be opened: {exc}); "
            "download it again or save it as .xlsx",
            where=where,
        ) from exc
    finally:
        if not isinstance(stream, Path):
            stream.seek(start)


def package_limits() -> PackageLimits:
    """The limits :func:`~ecociv.ingest.package_scan.scan_package` enforces, from the settings."""
    return PackageLimits(
        unpacked_bytes=max_unpacked_bytes(),
        xml_part_bytes=max_xml_part_bytes(),
        cells=max_cells(),
        names={
            "unpacked": MAX_UNPACKED_ENV,
            "xml_part": MAX_XML_PART_ENV,
            "cells": MAX_CELLS_ENV,
            "merged": MAX_CELLS_ENV,
        },
    )


def _check_text_cells(path: Path) -> None:
    """Refuse a text export with more table cells than :func:`max_cells` (bounded memory)."""
    limit = max_cells()
    try:
        cells = count_cells(path, "text")
    except OSError as exc:
        raise InputError(
            f"文件已损坏或不完整（{type(exc).__name__}）；请重新导出或下载",
            f"the file is damaged or incomplete ({type(exc).__name__}: {exc}); "
            "export or download it again",
            where=str(path),
        ) from exc
    if cells > limit:
        raise InputError(
            f"文件含约 {cells:,} 个表格单元格，超过上限 {limit:,}；"
            f"可拆分文件，或设置环境变量 {MAX_CELLS_ENV} 提高上限",
            f"the file holds about {cells:,} table cells, over the limit of {limit:,}; "
            f"split it or raise the limit with {MAX_CELLS_ENV}",
            where=str(path),
        )


def _megabytes(size: int) -> str:
    return f"{size / _MB:.3g} MB"


def _office_kind(path: Path, expected: InputKind | None) -> InputKind:
    """``"docx"`` or ``"xlsx"`` from the main part of an OOXML zip package.

    Reads the zip's central directory only; refuses a package whose parts unpack to more
    than :func:`max_unpacked_bytes`.
    """
    where = str(path)
    suffix = f".{expected}" if expected else ".docx/.xlsx"
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except ZIP_ERRORS as exc:
        raise InputError(
            f"文件已损坏或不完整（压缩包无法打开），不是完整的 {suffix} 文件；请重新导出或下载",
            f"the file is damaged or incomplete (the zip cannot be opened: {exc}); it is not a "
            f"complete {suffix} file; export or download it again",
            where=where,
        ) from exc
    unpacked = sum(member.file_size for member in members)
    limit = max_unpacked_bytes()
    if unpacked > limit:
        raise InputError(
            f"文件解压后为 {_megabytes(unpacked)}，超过上限 {_megabytes(limit)}（可能是恶意构造的压缩包）；"
            f"如确为正常文件，可设置环境变量 {MAX_UNPACKED_ENV} 提高上限",
            f"the package unpacks to {_megabytes(unpacked)}, over the limit of "
            f"{_megabytes(limit)} (a zip bomb?); if the file is genuine, raise the limit with "
            f"{MAX_UNPACKED_ENV}",
            where=where,
        )
    names = {member.filename for member in members}
    for part, kind in _MAIN_PART.items():
        if part in names:
            return kind
    raise InputError(
        "这是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文档",
        "this is a zip archive but not a Word (.docx) or Excel (.xlsx) document",
        where=where,
    )


def _text_kind(head: bytes, where: str) -> InputKind:
    """``"text"`` when the first bytes look like text; known binary formats are named."""
    markup = head.removeprefix(codecs.BOM_UTF8).lstrip()[:200].lower()
    for magic, name_zh, name_en in _OTHER_FORMATS:
        if head.startswith(magic) or markup.startswith(magic.lower()):
            raise InputError(
                f"不支持的文件格式：{name_zh}；请在 Word/Excel 中另存为 .docx/.xlsx，或提供 Tika 导出的文本",
                f"unsupported file format: {name_en}; save it as .docx/.xlsx in Word/Excel, "
                "or give a Tika text export",
                where=where,
            )
    wide = wide_unicode(head)
    if wide is not None:
        raise InputError(
            f"文本为 {wide} 编码，请另存为 UTF-8 后重试",
            f"the text is {wide} encoded; save it as UTF-8 and try again",
            where=where,
        )
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    if b"\x00" in head or controls > len(head) // 100:
        raise InputError(
            "这是二进制文件，不是文本、.docx 或 .xlsx；请确认选择了正确的文件",
            "this is a binary file, not text, .docx or .xlsx; check that you picked the right file",
            where=where,
        )
    return "text"


def wide_unicode(head: bytes) -> str | None:
    """``"UTF-32"`` or ``"UTF-16"`` when *head* is text in one of them (with or without BOM).

    The UTF-32 BOMs are tested first: the little-endian one begins with the UTF-16 one.
    Without a BOM, text in the Basic Multilingual Plane has two zero bytes in every UTF-32
    unit; in UTF-16 the line breaks, tabs and digits put zero bytes on one side of each
    unit (Hanzi whose low byte is zero are rare), and the bytes must decode as UTF-16.
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    units = len(head) // 4 * 4
    if units >= 8 and b"\x00" in head:
        if not any(head[2:units:4]) and not any(head[3:units:4]):
            return "UTF-32"
        if not any(head[0:units:4]) and not any(head[1:units:4]):
            return "UTF-32"
        zeros = head[0:units:2].count(0), head[1:units:2].count(0)
        for side, codec in ((1, "utf-16-le"), (0, "utf-16-be")):
            if zeros[side] >= 4 * zeros[1 - side] + 2 and _reads_as(head[:units], codec):
                return "UTF-16"
    return None


def _reads_as(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _wrong_content(where: str, expected: InputKind, found: InputKind) -> InputError:
    names = {"docx": "Word（.docx）文档", "xlsx": "Excel（.xlsx）工作簿", "text": "文本文件"}
    names_en = {"docx": "a Word (.docx) document", "xlsx": "an Excel (.xlsx) workbook"}
    return InputError(
        f"扩展名表明这是{names[expected]}，但内容是{names[found]}（文件可能被改名）；"
        "请在原程序中另存为正确格式",
        f"the suffix says {names_en[expected]} but the content is "
        f"{names_en.get(found, 'plain text')} (a renamed file?); save it in the right format",
        where=where,
    )
