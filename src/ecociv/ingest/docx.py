"""Read a Word .docx file into a :class:`~ecociv.ingest.document.Document`.

python-docx opens the package and resolves the styles; the body and its tables are walked
directly on the underlying OOXML (ECMA-376 Part 1, §17), because the python-docx table API
repeats a merged cell once per grid column and re-parses rows (slow on large tables).

What is read:

* paragraphs and tables in body order, also inside content controls (``w:sdt``);
* headings from the paragraph style (``Heading N`` / ``标题 N``) or the outline level
  (``w:outlineLvl`` on the paragraph, or inherited through the style's ``w:basedOn`` chain);
* the real table grid (§17.4): ``w:gridSpan`` and legacy ``w:hMerge`` (horizontal merges),
  ``w:vMerge`` restart/continue (vertical merges), ``w:gridBefore``/``w:gridAfter``;
  cells wrapped in ``w:sdt`` are kept in their grid column;
* cell text with line breaks (``w:br``) and one line per paragraph; nested tables are kept
  in :attr:`DocCell.nested` and also emitted, in order, as table blocks after their parent;
* a caption paragraph right before a table (``表1 …``) and note paragraphs right after it
  (``注：…``), see :mod:`ecociv.ingest.table_captions`.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import PartFactory
from docx.package import Package
from docx.parts.document import DocumentPart
from lxml import etree

from ecociv.errors import InputError
from ecociv.ingest.budget import CellBudget
from ecociv.ingest.document import Block, DocTable, Document
from ecociv.ingest.docx_grid import GridBuilder, LayoutValueError, scan_table
from ecociv.ingest.limits import MAX_CELLS_ENV, max_cells
from ecociv.ingest.source_file import sha256_of
from ecociv.ingest.table_captions import is_caption, is_note_continuation, is_note_start
from ecociv.ingest.wordml import TBL, VAL, P, children, text_of, w
from ecociv.model import Diagnostic, SourceSpan

_MAIN_PART_VARIANTS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_BODY_TEXT_OUTLINE = 9


def read_docx(path: str | Path) -> Document:
    """Read *path* (a .docx file) into a Document; damaged files raise :class:`InputError`."""
    path = Path(path)
    body, styles, title = _open(path)
    budget = CellBudget(max_cells(), MAX_CELLS_ENV, str(path))
    walker = _BodyWalker(str(path), _StyleIndex(styles), budget)
    walker.walk(body)
    return Document(
        path=str(path),
        format="docx",
        blocks=walker.blocks,
        sha256=sha256_of(path),
        size_bytes=path.stat().st_size,
        diagnostics=walker.diagnostics,
        title=title,
    )


def _open(path: Path) -> tuple[etree._Element, etree._Element, str | None]:
    """The body element, the styles element and the core property title of the package
    (python-docx loads them)."""
    _accept_macro_and_template_documents()
    try:
        part = Package.open(str(path)).main_document_part
        if not isinstance(part, DocumentPart):
            raise ValueError(f"the main part has content type {part.content_type}")
        body = part.document.element.body
        if body is None:
            raise InputError(
                "文件已损坏：word/document.xml 中没有正文（w:body）；请在 Word 中打开并另存为 .docx 后重试",
                "the file is damaged: word/document.xml has no body (w:body); "
                "open it in Word, save it as .docx and try again",
                where=str(path),
            )
        return body, part.styles.element, part.package.core_properties.title or None
    except FileNotFoundError as exc:
        raise InputError("文件不存在", "file not found", where=str(path)) from exc
    except AttributeError as exc:  # the main part is not WordprocessingML as python-docx knows it
        raise InputError(
            "不支持此 Word 文档变体（例如“严格 Open XML”格式）；请在 Word 中另存为“Word 文档 (.docx)”",
            "unsupported Word document variant (e.g. Strict Open XML); "
            "save it in Word as 'Word Document (.docx)'",
            where=str(path),
        ) from exc
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
    ) as exc:
        raise _damaged(path, exc) from exc


def _accept_macro_and_template_documents() -> None:
    """Let python-docx open .docm/.dotx/.dotm main parts as documents (same body schema)."""
    for content_type in _MAIN_PART_VARIANTS:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)


def _damaged(path: Path, exc: Exception) -> InputError:
    return InputError(
        f"文件已损坏或不是完整的 .docx 文档（{type(exc).__name__}）；请在 Word 中打开并另存为 .docx 后重试",
        f"the file is damaged or not a complete .docx document ({type(exc).__name__}: {exc}); "
        "open it in Word, save it as .docx and try again",
        where=str(path),
    )


class _StyleIndex:
    """Heading levels of paragraph styles, by style id, following ``w:basedOn``."""

    def __init__(self, styles: etree._Element) -> None:
        self._name: dict[str, str] = {}
        self._based_on: dict[str, str] = {}
        self._outline: dict[str, int] = {}
        for style in styles.iterchildren(w("style")):
            style_id = style.get(w("styleId"))
            if style_id is None:
                continue
            name = style.find(w("name"))
            if name is not None:
                self._name[style_id] = name.get(VAL, "")
            based = style.find(w("basedOn"))
            if based is not None:
                self._based_on[style_id] = based.get(VAL, "")
            outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
            if outline is not None:
                self._outline[style_id] = _outline_value(outline)
        self._levels: dict[str, int | None] = {}

    def heading_level(self, style_id: str) -> int | None:
        if style_id not in self._levels:
            self._levels[style_id] = self._resolve(style_id)
        return self._levels[style_id]

    def _resolve(self, style_id: str) -> int | None:
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen:
            seen.add(current)
            named = _HEADING_STYLE.match(self._name.get(current, "").strip())
            if named:
                return int(named.group(1))
            if current in self._outline:
                return _outline_to_level(self._outline[current])
            current = self._based_on.get(current)
        return None


def _outline_value(element: etree._Element) -> int:
    """The ``w:val`` of a ``w:outlineLvl``; a value that is not a number means body text."""
    value = element.get(VAL, "").strip()
    return (
        int(value) if value.isascii() and value.isdigit() and len(value) < 3 else _BODY_TEXT_OUTLINE
    )


def _outline_to_level(outline: int) -> int | None:
    """``w:outlineLvl`` 0–8 is heading level 1–9; 9 means body text (§17.3.1.20)."""
    return outline + 1 if 0 <= outline < _BODY_TEXT_OUTLINE else None


class _BodyWalker:
    """Walks the body once, producing blocks, tables and diagnostics."""

    def __init__(self, file: str, styles: _StyleIndex, budget: CellBudget) -> None:
        self.file = file
        self.styles = styles
        self.budget = budget
        self.blocks: list[Block] = []
        self.diagnostics: list[Diagnostic] = []
        self._paragraph_index = 0
        self._table_index = 0
        self._last_table: DocTable | None = None  # notes may still attach to it
        self._blank_since_note = False

    # ------------------------------------------------------------------ body order

    def walk(self, body: etree._Element) -> None:
        for element in children(body, P, TBL):
            if element.tag == P:
                self._paragraph(element)
            else:
                self._table(element)

    def _paragraph(self, p: etree._Element) -> None:
        index = self._paragraph_index
        self._paragraph_index += 1
        text = text_of(p).strip()
        if not text:
            self._blank_since_note = True
            return
        level = self._heading_level(p)
        if self._attach_note(text, is_heading=level is not None):
            return
        where = SourceSpan(file=self.file, paragraph=index)
        if level is not None:
            self.blocks.append(Block(kind="heading", where=where, text=text, level=level))
        else:
            self.blocks.append(Block(kind="paragraph", where=where, text=text))

    def _attach_note(self, text: str, *, is_heading: bool) -> bool:
        """Add *text* to the notes of the table just above when it is (part of) a note.

        A note opens with ``注：`` right after the table; it goes on with the paragraphs
        that follow it directly, and after an empty paragraph only with numbered lines —
        the rule the Tika reader applies to the same document's text export.
        """
        table = self._last_table
        if table is None:
            return False
        if not table.notes:
            attached = is_note_start(text)
        else:
            attached = (
                not is_heading
                and not is_caption(text)
                and (not self._blank_since_note or is_note_continuation(text))
            )
        if not attached:
            self._last_table = None
            return False
        table.notes.append(text)
        self._blank_since_note = False
        return True

    def _heading_level(self, p: etree._Element) -> int | None:
        props = p.find(w("pPr"))
        if props is None:
            return None
        outline = props.find(w("outlineLvl"))
        if outline is not None:
            return _outline_to_level(_outline_value(outline))
        style = props.find(w("pStyle"))
        if style is None:
            return None
        return self.styles.heading_level(style.get(VAL, ""))

    def _table(self, tbl: etree._Element) -> None:
        nested: list[DocTable] = []
        table = self._build_table(tbl, nested)
        table.caption = self._take_caption()
        self.blocks.append(Block(kind="table", where=table.where, table=table))
        for inner in nested:
            self.blocks.append(Block(kind="table", where=inner.where, table=inner))
        self._last_table = table
        self._blank_since_note = False

    def _take_caption(self) -> str | None:
        """The caption paragraph just above the table, removed from the blocks."""
        if self.blocks and self.blocks[-1].kind != "table" and is_caption(self.blocks[-1].text):
            return self.blocks.pop().text
        return None

    # ------------------------------------------------------------------ table grid

    def _build_table(self, tbl: etree._Element, nested_out: list[DocTable]) -> DocTable:
        """The rectangular grid of *tbl*; nested tables are appended to *nested_out*."""
        index = self._table_index
        self._table_index += 1
        try:
            rows = scan_table(tbl)
        except LayoutValueError as exc:
            raise InputError(
                f"第 {index + 1} 个表格的 {exc.attribute} 值 {exc.value!r} 不是非负整数；文件已损坏",
                f"table {index + 1}: the {exc.attribute} value {exc.value!r} is not a "
                "non-negative whole number; the file is damaged",
                where=self.file,
            ) from None
        grid_width = len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}"))
        width = max([grid_width, *(row.width for row in rows)], default=0)
        self.budget.take(
            len(rows),
            width,
            table_zh=f"第 {index + 1} 个表格",
            table_en=f"table {index + 1}",
            declared="w:tblGrid, w:gridSpan, w:gridBefore, w:gridAfter",
        )
        if rows and width > grid_width:
            self.note(
                "docx_grid_widened",
                f"表格行比表格网格（w:tblGrid，{grid_width} 列）更宽，按 {width} 列读取",
                f"a row is wider than the table grid (w:tblGrid, {grid_width} columns); "
                f"read as {width} columns",
                SourceSpan(file=self.file, table=index),
            )
        builder = GridBuilder(self, index, len(rows), width, nested_out)
        for r, row in enumerate(rows):
            builder.add_row(r, row)
        return DocTable(rows=builder.finish(), where=SourceSpan(file=self.file, table=index))

    def nested_tables(
        self, elements: list[etree._Element], nested_out: list[DocTable]
    ) -> list[DocTable]:
        """Build the tables nested in a cell; they and their own nested tables go to
        *nested_out* too, in document order."""
        inner: list[DocTable] = []
        for element in elements:
            own_nested: list[DocTable] = []
            table = self._build_table(element, own_nested)
            inner.append(table)
            nested_out.append(table)
            nested_out.extend(own_nested)
        return inner

    def note(self, code: str, zh: str, en: str, where: SourceSpan) -> None:
        self.diagnostics.append(
            Diagnostic(code=code, severity="info", message_zh=zh, message_en=en, where=where)
        )
