"""Open a workbook with openpyxl, leaving out the sheets it cannot read (工作簿打开与损坏工作表隔离).

openpyxl fails on the whole workbook when one sheet is damaged (XML that is not well-formed,
a shared-string or style index out of range, a chartsheet without its relationships …).
When the first load fails, each sheet is tried on its own — the workbook is rebuilt in memory
with ``xl/workbook.xml`` listing only that sheet — and the workbook is loaded again without
the sheets that fail alone.  Every sheet left out is a :class:`SkippedSheet` (its name and
openpyxl's reason), which the reader turns into an ``error`` diagnostic; a workbook whose
damage is not in a sheet (styles, workbook part), or whose every sheet is damaged, is an
:class:`~ecociv.errors.InputError`.  The package's XML was checked before
(:mod:`ecociv.ingest.package_scan`): no DTD, bounded depth.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from lxml import etree
from openpyxl.utils.exceptions import InvalidFileException

from ecociv.errors import InputError
from ecociv.ingest.safe_xml import defused_parser

_WORKBOOK = "xl/workbook.xml"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# What openpyxl raises on a damaged package: its own errors, the XML parsers' errors, and
# the plain Python errors of its readers when an index, a key or a value is not what it expects.
_LOAD_FAILURES = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    etree.XMLSyntaxError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OverflowError,
    NotImplementedError,
    OSError,  # "File contains no valid workbook part"
)


@dataclass(frozen=True)
class SkippedSheet:
    """A sheet openpyxl cannot read, left out of the workbook."""

    name: str
    reason: str


@dataclass
class WorkbookSource:
    """The bytes openpyxl loads (the file, or the file without its damaged sheets)."""

    path: Path
    data: bytes
    skipped: list[SkippedSheet]


def load_readable(path: Path) -> tuple[Any, WorkbookSource]:
    """The workbook at *path* (cached values), without the sheets openpyxl cannot read alone.

    Returns the loaded workbook (the caller closes it) and the source it was loaded from.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("文件不存在", "file not found", where=str(path)) from exc
    try:
        return _load(data, data_only=True), WorkbookSource(path, data, [])
    except _LOAD_FAILURES as exc:
        first = f"{type(exc).__name__}: {exc}"
    names = _sheet_names(data, path)
    skipped = [
        SkippedSheet(name, reason)
        for index, name in enumerate(names)
        if (reason := _failure(_keep_sheets(data, {index}))) is not None
    ]
    if not skipped or len(skipped) == len(names):
        raise _damaged(path, first)
    kept = _keep_sheets(data, {i for i, name in enumerate(names) if name not in _names(skipped)})
    source = WorkbookSource(path, kept, skipped)
    try:
        return _load(kept, data_only=True), source
    except _LOAD_FAILURES as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from exc


def _names(skipped: list[SkippedSheet]) -> set[str]:
    return {sheet.name for sheet in skipped}


@contextmanager
def open_workbook(
    source: WorkbookSource, *, data_only: bool, read_only: bool = False
) -> Iterator[Any]:
    """The openpyxl workbook of *source* (opened from memory: the suffix must not matter)."""
    try:
        book = _load(source.data, data_only=data_only, read_only=read_only)
    except _LOAD_FAILURES as exc:
        raise _damaged(source.path, f"{type(exc).__name__}: {exc}") from exc
    try:
        yield book
    finally:
        book.close()


def _load(data: bytes, *, data_only: bool, read_only: bool = False) -> Any:
    return openpyxl.load_workbook(
        io.BytesIO(data), data_only=data_only, read_only=read_only, rich_text=False
    )


def _failure(data: bytes) -> str | None:
    """Why openpyxl cannot load *data*, or ``None`` when it can."""
    try:
        _load(data, data_only=True).close()
    except _LOAD_FAILURES as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _workbook_root(data: bytes, path: Path) -> etree._Element:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return etree.fromstring(package.read(_WORKBOOK), defused_parser())
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from exc


def _sheet_names(data: bytes, path: Path) -> list[str]:
    root = _workbook_root(data, path)
    return [sheet.get("name", "") for sheet in root.iter(f"{{{_MAIN_NS}}}sheet")]


def _keep_sheets(data: bytes, keep: set[int]) -> bytes:
    """*data* with ``xl/workbook.xml`` listing only the sheets at the positions in *keep*.

    Defined names and views refer to sheets by position, so they go too (the reader uses
    neither).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        # a name repeated in the zip is written once, with the entry zipfile reads (the last)
        for info in {info.filename: info for info in source.infolist()}.values():
            with source.open(info) as member:
                part = member.read()
            if info.filename == _WORKBOOK:
                part = _filtered_workbook(part, keep)
            target.writestr(info, part)
    return out.getvalue()


def _filtered_workbook(xml: bytes, keep: set[int]) -> bytes:
    root = etree.fromstring(xml, defused_parser())
    for index, sheet in enumerate(list(root.iter(f"{{{_MAIN_NS}}}sheet"))):
        if index not in keep:
            sheet.getparent().remove(sheet)
    for name in ("definedNames", "bookViews"):
        for element in root.findall(f"{{{_MAIN_NS}}}{name}"):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _damaged(path: Path, reason: str) -> InputError:
    return InputError(
        f"文件已损坏或不是完整的 .xlsx 工作簿（{reason.split(':')[0]}）；请在 Excel 中打开并另存为 .xlsx 后重试",
        f"the file is damaged or not a complete .xlsx workbook ({reason}); "
        "open it in Excel, save it as .xlsx and try again",
        where=str(path),
    )
