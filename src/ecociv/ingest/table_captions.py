"""Recognise the caption line before a table and the note lines after it.

Chinese plans title a table on the line just above it (``表1 …``, ``表 一 …``, ``表2-3 …``,
``附表1 …``, ``续表1`` or ``续表`` alone, ``专栏3 …``, or an unnumbered title ending in 表/清单/指标体系) and explain it on the lines just below (``注：…``,
``备注：…``, then numbered lines ``1. …`` / ``①…`` / ``1该指标…``).  The .docx and .xlsx readers use
these patterns to attach captions and notes to :class:`~ecociv.ingest.document.DocTable`.
"""

from __future__ import annotations

import re

_NUMERAL = r"(?:[0-9０-９]+(?:[-.－—.][0-9０-９]+)*|[一二三四五六七八九十百]+)"

# A short title naming a table without a number: "重点工程项目表", "…一览表", "…指标体系".
TITLE_LIKE = re.compile(r"^[^。；，,]{4,60}(?:表|一览表|清单|指标体系)$")
CAPTION = re.compile(rf"^\s*(?:(?:续?附?表|专栏)\s*{_NUMERAL}(?:\s|[：:、.．]|$)|续表\s*$)")
NOTE_START = re.compile(r"^\s*(?:注|备注|说明)\s*\d*\s*[：:]")
NOTE_CONTINUATION = re.compile(
    r"^\s*(?:\d{1,2}(?:\s*[.、．)）]|(?=[^\d.,，%\s]))|[（(]\d{1,2}[)）]|[①-⑳])"
)


def is_caption(text: str) -> bool:
    """True for a line that names the table below it (``表 一 指标体系``, ``专栏2 …``, ``…一览表``)."""
    text = text.strip()
    return (bool(CAPTION.match(text)) and len(text) <= 120) or bool(TITLE_LIKE.match(text))


def is_note_start(text: str) -> bool:
    """True for the first line of a note under a table (``注：…``, ``备注：…``)."""
    return bool(NOTE_START.match(text))


def is_note_continuation(text: str) -> bool:
    """True for a numbered line that continues a note (``1. …``, ``（2）…``, ``③…``)."""
    return bool(NOTE_CONTINUATION.match(text))
