"""Sub-items inside one indicator cell: ①②③, ``1 ``/``2 ``, or unmarked aligned lines.

An indicator such as 环境空气质量 lists its measures inside the name cell, one per line,
and every other cell of the row either lists one value per measure (marked the same way,
or unmarked lines in the same order) or holds one value that all measures share.  Markers
are trusted only when they count up by one (``②`` after ``①``); a first measure whose
marker was lost (``秸秆综合利用率`` above ``②畜禽…``) is recognised from the count.
A line without a marker after a marked one is the wrapped end of that measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MARKER = re.compile(rf"^\s*(?:([{CIRCLED}])\s*|(\d{{1,2}})(?:\s+|[、.．)）](?!\d))(?=\S))")
_REGION = r"[\u4e00-\u9fff、]{1,8}地区|山区|山地|丘陵|平原|海岛|沿海|城区|市区|县城"
_REGION_LINE = re.compile(rf"^[（(]?({_REGION})[）)]?$")
_REGION_SUFFIX = re.compile(rf"[（(]({_REGION})[）)]$")
_STAR = re.compile(r"^(\*{1,2})|(\*{1,2})$")


@dataclass(frozen=True)
class Line:
    """A non-empty line of a cell: its text without marker, its marker and its offset."""

    text: str
    raw: str
    offset: int
    marker: int | None


@dataclass(frozen=True)
class Piece:
    """One measure's share of a cell: text and the line offsets it spans in the cell."""

    text: str
    first: int
    last: int


@dataclass(frozen=True)
class NameParts:
    """An indicator name taken apart: title, measures, region class and the ``*`` marker."""

    title: str
    items: list[Piece]
    region_class: str | None
    marker: str | None
    names_by_marker: dict[str, str] = field(default_factory=dict)


def cell_lines(text: str) -> list[Line]:
    """The non-empty lines of a cell, each with its marker number when it has one.

    A line holding several circled markers (``①…；②…``) is several lines.
    """
    lines = []
    for offset, whole in enumerate(text.split("\n")):
        for raw in _split_inline_markers(whole):
            if not raw.strip():
                continue
            match = _MARKER.match(raw)
            marker = None
            body = raw.strip()
            if match:
                marker = (
                    CIRCLED.index(match.group(1)) + 1 if match.group(1) else int(match.group(2))
                )
                body = raw[match.end() :].strip()
            lines.append(Line(body, raw.strip(), offset, marker))
    return lines


def _split_inline_markers(line: str) -> list[str]:
    positions = [i for i, char in enumerate(line) if char in CIRCLED]
    if len(positions) < 2:
        return [line]
    cuts = [0, *positions, len(line)] if positions[0] > 0 else [*positions, len(line)]
    return [line[a:b] for a, b in pairwise(cuts)]


_WRAP_END = frozenset("的、，,和与及或之对在为将把被从向以于（(“")
_WRAP_START = frozenset("/／、，,）)”。；;")


def is_wrapped(lines: list[str]) -> bool:
    """True when the lines are one value broken by the table's width, not a list.

    A line that stops on a word that needs a continuation (的, 和, 、 …) or a line that
    starts with one that needs a head (/, ）, 、 …) shows the break is layout, not meaning.
    """
    texts = [line.strip() for line in lines if line.strip()]
    return any(t[-1] in _WRAP_END for t in texts[:-1]) or any(
        t[0] in _WRAP_START for t in texts[1:]
    )


def join_lines(text: str) -> str:
    """A cell's lines as one value: joined when wrapped, else kept one per line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return ("" if is_wrapped(lines) else "\n").join(lines)


def _counts_up(lines: list[Line]) -> bool:
    numbers = [line.marker for line in lines if line.marker is not None]
    return bool(numbers) and all(b == a + 1 for a, b in pairwise(numbers))


def split_marked(lines: list[Line]) -> tuple[list[Line], dict[int, Piece]] | None:
    """Split marked lines into ``(head lines, {measure number: piece})``, or ``None``."""
    if not _counts_up(lines):
        return None
    first = next(i for i, line in enumerate(lines) if line.marker is not None)
    start = lines[first].marker or 1
    implied = start - 1
    if implied > first or (start > 1 and first == 0):
        return None
    head = lines[: first - implied]
    pieces: dict[int, list[Line]] = {}
    for n, line in enumerate(lines[first - implied : first], start=1):
        pieces[n] = [line]
    current = start
    for line in lines[first:]:
        if line.marker is not None:
            current = line.marker
            pieces[current] = [line]
        else:
            pieces[current].append(line)
    return head, {
        n: Piece("".join(part.text for part in parts), parts[0].offset, parts[-1].offset)
        for n, parts in pieces.items()
    }


def analyse_name(text: str) -> NameParts:
    """Take an indicator name cell apart (see the module docstring).

    A cell whose lines each carry a different standard marker (``林草覆盖率*`` over
    ``森林覆盖率**``) holds one name per standard: the names are returned by marker.
    """
    lines = cell_lines(text)
    region = None
    kept: list[Line] = []
    for line in lines:
        match = _REGION_LINE.match(line.raw)
        if match and kept:
            region = match.group(1)
        else:
            kept.append(line)
    starred = [_strip_star(line.raw) for line in kept]
    markers = [marker for _, marker in starred]
    if len(kept) >= 2 and all(markers) and len(set(markers)) == len(markers):
        names = {marker: name for name, marker in starred if marker}
        return NameParts(starred[0][0], [], region, None, names)
    marked = split_marked(kept)
    if marked is not None:
        head, pieces = marked
        title = "".join(line.text for line in head)
        items = [pieces[n] for n in sorted(pieces)]
    elif len(kept) >= 3 and not is_wrapped([line.raw for line in kept]):
        title = kept[0].raw
        items = [Piece(line.raw, line.offset, line.offset) for line in kept[1:]]
    else:
        title = "".join(line.raw for line in kept)
        items = []
    title, marker = _strip_star(title.rstrip("：:").strip())
    suffix = _REGION_SUFFIX.search(title)
    if suffix:
        region = region or suffix.group(1)
        title = title[: suffix.start()].strip()
    if not title and items:
        title = "、".join(item.text for item in items)
    return NameParts(title, items, region, marker)


def _strip_star(title: str) -> tuple[str, str | None]:
    match = _STAR.search(title)
    if not match:
        return title, None
    return (title[: match.start()] + title[match.end() :]).strip(), match.group(0)


def split_for_items(text: str, count: int) -> list[Piece] | None:
    """Share a value cell among *count* measures, or ``None`` when it cannot be aligned.

    Marked lines go to their measure; otherwise one line per measure, in order; a cell with
    one line (or none) is shared by all measures.
    """
    lines = cell_lines(text)
    if not lines:
        return [Piece("", 0, 0)] * count
    marked = split_marked(lines)
    if marked is not None:
        head, pieces = marked
        if not head and max(pieces) <= count:
            blank = Piece("", lines[0].offset, lines[0].offset)
            return [pieces.get(n, blank) for n in range(1, count + 1)]
    if len(lines) == count and not is_wrapped([line.raw for line in lines]):
        return [Piece(line.raw, line.offset, line.offset) for line in lines]
    if len(lines) == 1 or is_wrapped([line.raw for line in lines]):
        whole = Piece("".join(line.raw for line in lines), lines[0].offset, lines[-1].offset)
        return [whole] * count
    return None
