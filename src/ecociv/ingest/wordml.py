"""WordprocessingML (ECMA-376 Part 1 §17) element names, and the text of a paragraph.

Shared by the .docx reader and its table grid builder; plain lxml, no python-docx API.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(tag: str) -> str:
    """The Clark name (``{namespace}tag``) of a ``w:`` element or attribute."""
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC = w("p"), w("tbl"), w("tr"), w("tc")
T, BR, CR, TAB = w("t"), w("br"), w("cr"), w("tab")
NO_BREAK_HYPHEN = w("noBreakHyphen")
VAL, TYPE = w("val"), w("type")
TCPR, TRPR = w("tcPr"), w("trPr")
GRID_SPAN, V_MERGE, H_MERGE = w("gridSpan"), w("vMerge"), w("hMerge")
GRID_BEFORE, GRID_AFTER = w("gridBefore"), w("gridAfter")
# Containers whose children belong to the parent level (content controls, custom XML).
WRAPPERS = frozenset({w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")})
_TEXT_TAGS = (T, BR, CR, TAB, NO_BREAK_HYPHEN, P, f"{{{MC_NS}}}Fallback")
_CELL_TEXT_TAGS = (*_TEXT_TAGS, TBL)


def children(element: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Children with one of *tags*, looking through content-control and custom-XML wrappers."""
    for child in element.iterchildren(*tags, *WRAPPERS):
        if child.tag in WRAPPERS:
            yield from children(child, *tags)
        else:
            yield child


def text_of(element: etree._Element, *, skip_tables: bool = False) -> str:
    """The visible text under *element*: runs, line breaks (``w:br``), tabs.

    Each paragraph under *element* (of a table cell, or of a text box) starts a new line.
    Page and column breaks are not text; ``mc:Fallback`` (a copy of ``mc:Choice`` for old
    readers) is skipped, and so are nested tables when *skip_tables* is set.
    """
    parts: list[str] = []
    skipped: set[etree._Element] = set()
    for node in element.iter(*(_CELL_TEXT_TAGS if skip_tables else _TEXT_TAGS)):
        if node is element or node in skipped:
            continue
        tag = node.tag
        if tag == T:
            parts.append(node.text or "")
        elif tag == BR:
            if node.get(TYPE) not in ("page", "column"):
                parts.append("\n")
        elif tag == CR:
            parts.append("\n")
        elif tag == TAB:
            parts.append("\t")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == P:
            if parts:
                parts.append("\n")
        else:  # mc:Fallback, or a nested table
            skipped.update(node.iter())
    return "".join(parts)
