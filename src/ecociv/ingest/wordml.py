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
GRID_SPAN, V_MERGE, H_MERGE = w("gridSpan"), w("vMerge"), w("hMerge")
GRID_BEFORE, GRID_AFTER = w("gridBefore"), w("gridAfter")
FALLBACK = f"{{{MC_NS}}}Fallback"  # a copy of mc:Choice for old readers: never read twice
# Containers whose children belong to the parent level (content controls, custom XML).
WRAPPERS = frozenset({w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")})
# Run content that is text: w:t, and the breaks and tabs as the characters they show.
RUN_TEXT_TAGS = (T, BR, CR, TAB, NO_BREAK_HYPHEN)
_BREAK_TEXT = {BR: "\n", CR: "\n", TAB: "\t", NO_BREAK_HYPHEN: "-"}


def run_text(node: etree._Element) -> str:
    """The text one of :data:`RUN_TEXT_TAGS` shows; page and column breaks show nothing."""
    if node.tag == T:
        return node.text or ""
    if node.get(TYPE) in ("page", "column"):
        return ""
    return _BREAK_TEXT[node.tag]


def children(element: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Children with one of *tags*, looking through content-control and custom-XML wrappers."""
    for child in element.iterchildren(*tags, *WRAPPERS):
        if child.tag in WRAPPERS:
            yield from children(child, *tags)
        else:
            yield child


def text_of(element: etree._Element) -> str:
    """The visible text under *element* (a paragraph): runs, line breaks, tabs.

    Paragraphs of a text box inside *element* become lines; ``mc:Fallback`` is skipped.
    """
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start",), tag=(*RUN_TEXT_TAGS, P, FALLBACK))
    for _, node in walker:
        if node is element:
            continue
        if node.tag == P:
            if parts:
                parts.append("\n")
        elif node.tag == FALLBACK:
            walker.skip_subtree()
        else:
            parts.append(run_text(node))
    return "".join(parts)
