"""Recognise headings in plain text and give them a level from their numbering.

Chinese plans number their outline with a small set of conventions, outermost first:
``第一章`` / ``第1章``, ``第一节`` / ``第1节``, ``一、``, ``（一）``, ``1.`` / ``1、``, ``（1）``.
A line is a heading when it carries such a number (or a Word table-of-contents bookmark
``[bookmark: _Toc…]``, which Word puts on headings only) and reads like a title: short,
without a sentence inside it.  The level is the rank of its numbering kind among the
kinds the document uses, so a plan that starts at ``一、`` has ``一、`` at level 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_TOC_BOOKMARK = re.compile(r"\[bookmark:\s*_Toc[^\]]*\]")

_CN = "一二三四五六七八九十百零〇"
_NUMBERING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第\s*[{_CN}\d]+\s*[章编篇]")),
    ("section", re.compile(rf"^第\s*[{_CN}\d]+\s*节")),
    ("cn_comma", re.compile(rf"^[{_CN}]+\s*[、.．]")),
    ("cn_paren", re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]")),
    ("digit_dot", re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))")),
    ("digit_paren", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
)
UNNUMBERED = "toc"
_MAX_TITLE_CHARS = 40


def strip_bookmarks(text: str) -> str:
    """Remove Word bookmark markers (``[bookmark: _Toc…]``) that Tika writes into text."""
    return BOOKMARK.sub("", text) if "[bookmark" in text else text


def numbering_kind(text: str) -> str | None:
    """The numbering convention a (bookmark-free, stripped) line starts with, if any."""
    for kind, pattern in _NUMBERING_KINDS:
        if pattern.match(text):
            return kind
    return None


def heading_kind(raw_line: str) -> str | None:
    """The heading kind of a raw text line, or ``None`` when it is not a heading."""
    if len(raw_line) > _MAX_TITLE_CHARS + 4 and "[bookmark" not in raw_line:
        return None
    text = strip_bookmarks(raw_line).strip()
    if not text or len(text) > _MAX_TITLE_CHARS or "。" in text.rstrip("。")[:-1]:
        return None
    if text.endswith(("。", "；", "，", "：")):
        return None
    kind = numbering_kind(text)
    if kind is not None:
        return kind
    if _TOC_BOOKMARK.search(raw_line):
        return UNNUMBERED
    return None


def levels_for(kinds: Iterable[str]) -> dict[str, int]:
    """Map each heading kind used in a document to a level (1 = outermost).

    Unnumbered table-of-contents headings are chapters whose number Word generated, so they
    sit at level 1 together with explicit chapters.
    """
    used = set(kinds)
    order = [kind for kind, _ in _NUMBERING_KINDS if kind in used]
    levels: dict[str, int] = {}
    next_level = 1
    if UNNUMBERED in used:
        levels[UNNUMBERED] = 1
        if "chapter" in used:
            levels["chapter"] = 1
            order.remove("chapter")
        next_level = 2
    for kind in order:
        levels[kind] = next_level
        next_level += 1
    return levels
