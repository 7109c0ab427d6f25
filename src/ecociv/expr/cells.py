"""The layout of a cell: which line breaks are wraps and which separate items.

A table cell exported to text keeps the line breaks of its paragraphs.  A wrapped phrase
(``完成上级规定的考\\n核任务``) is one value; a unit split over lines (``平方米\\n/人``) is one
unit; lines labelled ``①②③`` (or ``1 2 3`` where the export lost the circle) are items.
This module only rearranges characters; it keeps, for every character, its raw index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecociv.expr.normalize import Normalized

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGIT_LABEL = re.compile(r"(1[0-9]|20|[1-9]) +(?=\S)")


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    origin: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """The lines of a cell (stripped, empty ones dropped) and whether they carry labels."""

    lines: tuple[Line, ...]
    labelled: bool

    def joined(self) -> Line:
        """All lines as one: glued, or with a space where two numbers or words would fuse."""
        text = ""
        origin: tuple[int, ...] = ()
        for line in self.lines:
            if text and _fuses(text[-1], line.text[0]):
                text, origin = text + " ", (*origin, origin[-1])
            text, origin = text + line.text, origin + line.origin
        return Line(text, origin)


def _fuses(left: str, right: str) -> bool:
    return left.isascii() and right.isascii() and left.isalnum() and right.isalnum()


def _lines(norm: Normalized) -> list[Line]:
    lines, start = [], 0
    for part in norm.text.split("\n"):
        stripped = part.strip()
        if stripped:
            offset = start + (len(part) - len(part.lstrip()))
            lines.append(Line(stripped, norm.origin[offset : offset + len(stripped)]))
        start += len(part) + 1
    return lines


def layout(norm: Normalized) -> Layout:
    """Split into lines; turn a leading ``1 `` into ``①`` when the cell is a labelled list."""
    lines = _lines(norm)
    if len(lines) < 2:
        return Layout(tuple(lines), bool(lines) and lines[0].text[0] in CIRCLED)
    circled = sum(line.text[0] in CIRCLED for line in lines)
    digits = [_DIGIT_LABEL.match(line.text) for line in lines]
    if circled + sum(m is not None for m in digits) < 2:
        return Layout(tuple(lines), False)
    relabelled = [digit_label(line) or line for line in lines]
    return Layout(tuple(relabelled), True)


def digit_label(line: Line) -> Line | None:
    """``2 298.95`` → ``②298.95``: a leading item number that lost its circle, as a reading
    to try when the line does not parse as written (the other reading is a number)."""
    m = _DIGIT_LABEL.match(line.text)
    if m is None:
        return None
    circle = CIRCLED[int(m.group(1)) - 1]
    return Line(circle + line.text[m.end() :], (line.origin[0], *line.origin[m.end() :]))
