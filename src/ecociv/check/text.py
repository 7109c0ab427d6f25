"""Small text helpers shared by the rules: folding, splitting lists, lines inside a cell."""

from __future__ import annotations

import re
import unicodedata

from ecociv.check.findings import Location
from ecociv.model import Cell

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\"“”'‘’「」『』]")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def fold(text: str) -> str:
    """NFKC, no whitespace, no quotes: the form names are compared in."""
    return _QUOTES.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", text)))


def strip_brackets(text: str) -> str:
    """Drop bracketed qualifiers (one level of nesting at a time)."""
    previous = None
    while previous != text:
        previous, text = text, _BRACKETED.sub("", text)
    return text


def split_list(text: str, separators: str = "、；;，,。") -> list[str]:
    """Split an enumeration on *separators* outside brackets (``A（B、C）、D`` → A（B、C）, D)."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "（(【[":
            depth += 1
        elif char in "）)】]":
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def cell_line_location(cell: Cell, offset: int, text: str, **fields) -> Location:
    """The location of *text* found at character *offset* of *cell*: the cell's first line
    plus the line breaks before the offset (text inputs keep one line per source line)."""
    where = cell.where
    line = None
    if where is not None and where.line_start is not None:
        line = where.line_start + cell.text[:offset].count("\n")
    return Location(
        file=where.file if where else None,
        line_start=line,
        line_end=line,
        paragraph=where.paragraph if where else None,
        text=text,
        **fields,
    )
