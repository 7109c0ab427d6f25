"""Read Apache Tika text exports of Word documents into a :class:`Document`.

Tika writes a Word table as text: every cell starts a line with a TAB, each further
paragraph of the cell is a line without TAB (an empty paragraph is a blank line), a row ends
with a blank line and the table with one more.  So blank lines end rows *and* occur inside
cells; which one a blank line is follows from context:

* blank line(s) then a TAB line: a row may end here (*segment* boundary).  Rows whose cells
  were split by an empty paragraph come out as several short segments; they are joined back
  when their cell counts add up exactly to the table's usual row length (the most common
  segment length, or the header's when that is longer).  Rows that stay short are horizontal merges and are kept as found.
* one blank line then a line without TAB: an empty paragraph inside the cell.
* two or more blank lines then a line without TAB: the table ends — unless the row is still
  shorter than the header and a TAB line follows within a few lines (an empty paragraph
  pair inside a cell).  Two or more blank lines then a TAB line after a complete row: the
  table ends and the next one starts.

``[bookmark: …]`` markers are Word artefacts and are stripped from cells and headings.
A caption line (``表 一 …``, ``表2 …``, ``专栏3 …``, a short title ending in 表) just above a
table becomes its caption; note lines (``注：…`` and the numbered lines after it) below a
table become its notes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ecociv.ingest.document import Block, DocCell, DocTable, Document
from ecociv.ingest.encoding import decode_text
from ecociv.ingest.headings import heading_kind, levels_for, strip_bookmarks
from ecociv.ingest.table_captions import is_caption, is_note_continuation, is_note_start
from ecociv.model import SourceSpan

_LOOKAHEAD_LINES = 4


def read_tika(path: str | Path) -> Document:
    """Read a Tika text export (UTF-8, UTF-8 with BOM or GB18030, detected) from *path*."""
    data = Path(path).read_bytes()
    text, encoding = decode_text(data, where=str(path))
    document = parse_tika_text(text, str(path), encoding)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.size_bytes = len(data)
    return document


def parse_tika_text(text: str, path: str, encoding: str | None = None) -> Document:
    """Parse the decoded text of a Tika export into ordered blocks and tables."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    document = Document(path=path, format="tika", encoding=encoding)
    _Reader(lines, document).run()
    return document


# --------------------------------------------------------------------------- internals


def _is_blank(line: str) -> bool:
    return not line.startswith("\t") and not line.strip()


def _is_cell(line: str) -> bool:
    return line.startswith("\t")


@dataclass
class _RawCell:
    lines: list[str]
    start: int  # 1-based line number of the TAB line
    end: int = 0

    def __post_init__(self) -> None:
        self.end = self.start

    def add(self, line: str, number: int) -> None:
        self.lines.append(line)
        if line.strip():
            self.end = number

    @property
    def text(self) -> str:
        kept = [strip_bookmarks(line).rstrip() for line in self.lines]
        while kept and not kept[-1].strip():
            kept.pop()
        return "\n".join(kept)


@dataclass
class _Paragraph:
    text: str
    line: int
    blanks_before: int
    heading: str | None = None


@dataclass
class _Reader:
    lines: list[str]
    document: Document
    pending: list[_Paragraph | DocTable] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.document.path

    def run(self) -> None:
        i, blanks = 0, 0
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            if _is_blank(line):
                blanks += 1
                i += 1
            elif _is_cell(line) and self._is_stray_tab(i):
                i += 1
            elif _is_cell(line):
                table, i = self._read_table(i)
                self.pending.append(table)
                blanks = 0
            else:
                raw = line.lstrip("\t")
                self.pending.append(_Paragraph(raw, i + 1, blanks, heading_kind(raw)))
                blanks = 0
                i += 1
        self._emit()

    def _is_stray_tab(self, i: int) -> bool:
        """A lone empty cell directly followed by ordinary text is not a table (Tika artefact)."""
        if self.lines[i].strip():
            return False
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        return not _is_cell(nxt) and not _is_blank(nxt)

    # ----------------------------------------------------------------- tables

    def _read_table(self, start: int) -> tuple[DocTable, int]:
        segments, end = self._scan_segments(start)
        rows = _assemble_rows(segments)
        doc_rows = [
            [
                DocCell(
                    text=cell.text,
                    where=SourceSpan(file=self.path, line_start=cell.start, line_end=cell.end),
                )
                for cell in row
            ]
            for row in rows
        ]
        last = max((cell.end for row in rows for cell in row), default=start + 1)
        where = SourceSpan(file=self.path, line_start=start + 1, line_end=last)
        return DocTable(rows=doc_rows, where=where), end

    def _scan_segments(self, start: int) -> tuple[list[list[_RawCell]], int]:
        """Split the table starting at line *start* into segments of cells; return the end."""
        lines, n = self.lines, len(self.lines)
        segments: list[list[_RawCell]] = []
        segment: list[_RawCell] = []
        header_len: int | None = None
        i = start
        while i < n:
            line = lines[i]
            if _is_cell(line):
                segment.append(_RawCell([line[1:]], i + 1))
                i += 1
                continue
            if not _is_blank(line):
                segment[-1].add(line, i + 1)
                i += 1
                continue
            j = i
            while j < n and _is_blank(lines[j]):
                j += 1
            if j >= n:
                i = j
                break
            blank_run = j - i
            row_short = header_len is not None and len(segment) < header_len
            if _is_cell(lines[j]) and blank_run >= 2 and not row_short:
                i = j
                break
            if _is_cell(lines[j]):
                segments.append(segment)
                header_len = header_len or len(segment)
                segment = []
                i = j
                continue
            if blank_run == 1 or (row_short and self._cell_resumes(j)):
                for k in range(i, j):
                    segment[-1].add("", k + 1)
                i = j
                continue
            i = j
            break
        if segment:
            segments.append(segment)
        return segments, i

    def _cell_resumes(self, j: int) -> bool:
        """After an empty-paragraph pair: does a TAB line follow soon, with no title between?"""
        for k in range(j, min(j + _LOOKAHEAD_LINES, len(self.lines))):
            line = self.lines[k]
            if _is_cell(line):
                return True
            if _is_blank(line) or is_caption(line) or is_note_start(line):
                return False
            if heading_kind(line) is not None:
                return False
        return False

    # ----------------------------------------------------------------- blocks

    def _emit(self) -> None:
        items = self.pending
        kinds = [p.heading for p in items if isinstance(p, _Paragraph) and p.heading]
        levels = levels_for(kinds)
        consumed: set[int] = set()
        for index, item in enumerate(items):
            if isinstance(item, DocTable):
                self._attach_caption(items, index, consumed)
                self._attach_notes(items, index, consumed)
        for index, item in enumerate(items):
            if index in consumed:
                continue
            if isinstance(item, DocTable):
                self.document.blocks.append(Block(kind="table", where=item.where, table=item))
                continue
            where = SourceSpan(file=self.path, line_start=item.line, line_end=item.line)
            text = strip_bookmarks(item.text).strip()
            if not text:
                continue
            if item.heading:
                block = Block(kind="heading", where=where, text=text, level=levels[item.heading])
            else:
                block = Block(kind="paragraph", where=where, text=text)
            self.document.blocks.append(block)

    def _attach_caption(
        self, items: list[_Paragraph | DocTable], index: int, consumed: set[int]
    ) -> None:
        table = items[index]
        assert isinstance(table, DocTable)
        before = items[index - 1] if index > 0 else None
        if isinstance(before, _Paragraph) and (index - 1) not in consumed:
            text = strip_bookmarks(before.text).strip()
            if is_caption(text):
                table.caption = text
                consumed.add(index - 1)

    def _attach_notes(
        self, items: list[_Paragraph | DocTable], index: int, consumed: set[int]
    ) -> None:
        table = items[index]
        assert isinstance(table, DocTable)
        k = index + 1
        if k >= len(items) or not isinstance(items[k], _Paragraph):
            return
        first = items[k]
        assert isinstance(first, _Paragraph)
        if not is_note_start(strip_bookmarks(first.text)):
            return
        while k < len(items):
            item = items[k]
            if not isinstance(item, _Paragraph):
                break
            text = strip_bookmarks(item.text).strip()
            if k > index + 1:
                adjacent = item.blanks_before == 0
                if is_caption(text) or item.heading:
                    break
                if not adjacent and not is_note_continuation(text):
                    break
            table.notes.append(text)
            consumed.add(k)
            k += 1


def _assemble_rows(segments: list[list[_RawCell]]) -> list[list[_RawCell]]:
    """Join segments that are pieces of one row (their lengths add up to the usual length)."""
    if not segments:
        return []
    # the header's length guards against rows that are all split the same way
    usual = max(Counter(len(s) for s in segments).most_common(1)[0][0], len(segments[0]))
    rows: list[list[_RawCell]] = []
    i = 0
    while i < len(segments):
        take = 1
        total = len(segments[i])
        k = i + 1
        while total < usual and k < len(segments):
            total += len(segments[k])
            k += 1
            if total == usual:
                take = k - i
                break
        row = [cell for segment in segments[i : i + take] for cell in segment]
        rows.append(row)
        i += take
    return rows
