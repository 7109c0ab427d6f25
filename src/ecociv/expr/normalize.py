"""Normalise cell text before lexing, keeping a map back to the raw text for error positions.

Full-width ASCII forms (ＦＦ01–ＦＦ5Ｅ: ％ （ ） ， ； ： ＞ ０…) become their half-width forms,
every kind of space (and every other white-space control: form feed, vertical tab, the
separators U+001C–U+001F, U+0085, U+2028/2029) becomes one ASCII space, carriage returns go.  Line breaks are kept:
:mod:`ecociv.expr.cells` decides whether a wrapped cell is one value or one value per line.
Display columns count East Asian wide and full-width characters as two (a caret under a
Chinese character must land under it).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_SPACES = {"\u00a0", "\u3000", "\t", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff"}


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text and, for each of its characters, the index of the raw character."""

    text: str
    origin: tuple[int, ...]


def _fold(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if char in _SPACES or (char.isspace() and char != "\n"):
        return " "
    return char


def normalize(raw: str) -> Normalized:
    """Fold full-width ASCII and spaces; drop ``\\r``; keep ``\\n``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(raw):
        if char == "\r":
            continue
        chars.append(_fold(char))
        origin.append(index)
    return Normalized("".join(chars), tuple(origin))


def char_width(char: str) -> int:
    """Display width of one character: 2 for East Asian wide/full-width, else 1."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_position(raw: str, index: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of raw index ``index``, columns in display cells."""
    before = raw[: max(0, min(index, len(raw)))]
    line = before.count("\n") + 1
    line_start = before.rfind("\n") + 1
    column = sum(char_width(c) for c in before[line_start:]) + 1
    return line, column


def caret_line(raw: str, index: int, length: int = 1) -> str:
    """The raw line holding ``index`` and under it a caret marking ``length`` raw chars."""
    line_no, column = display_position(raw, index)
    line = raw.split("\n")[line_no - 1] if raw else ""
    start = index - (raw.rfind("\n", 0, index) + 1) if index <= len(raw) else len(line)
    width = sum(char_width(c) for c in line[start : start + max(1, length)]) or 1
    return f"{line}\n{' ' * (column - 1)}{'^' * width}"
