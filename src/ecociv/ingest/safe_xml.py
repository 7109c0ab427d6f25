"""Defused XML checking of the parts of an Office package (XML 安全检查).

Every XML part of a .docx/.xlsx is streamed once through :func:`check_xml` before python-docx
or openpyxl sees it.  A part passes when it is well-formed, declares no DTD and nests no
deeper than :data:`MAX_XML_DEPTH`:

* **No DTD** — Office Open XML parts never carry one (ECMA-376 Part 2, Open Packaging
  Conventions, forbids DTD declarations in parts), and a DTD is the only way to declare
  entities: refusing it rules out entity expansion ("billion laughs") and external entities
  (XXE) for every parser that reads the package afterwards — python-docx's lxml parser and
  openpyxl's expat parser alike, with or without ``defusedxml`` installed.
* **Depth** — 256 levels is what libxml2 lets a tree parser build without ``XML_PARSE_HUGE``
  (python-docx's parser stops there too); openpyxl's streaming expat parser and our own
  recursive walks have no such guard, so the limit is enforced here for every part.
* The parser itself is defused: entities are not resolved, the network is off, no external
  DTD is loaded, and no tree is built (a parser *target* counts depth; memory stays flat).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

MAX_XML_DEPTH = 256


@dataclass(frozen=True)
class XmlProblem:
    """Why a part was refused: a DTD, too deep, or not well-formed (with its position)."""

    kind: str  # "dtd" | "depth" | "encoding" | "syntax"
    detail: str
    line: int | None = None
    column: int | None = None

    def position(self, lang: str) -> str:
        if self.line is None:
            return ""
        if lang == "zh":
            return f"第 {self.line} 行第 {self.column} 列"
        return f"line {self.line}, column {self.column}"


class _Refused(Exception):
    def __init__(self, problem: XmlProblem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


class _DepthTarget:
    """A parser target that builds nothing: it refuses a DTD and counts nesting."""

    def __init__(self) -> None:
        self.depth = 0

    def doctype(self, name: str | None, public_id: str | None, system_id: str | None) -> None:
        shown = " ".join(part for part in (name, public_id, system_id) if part)
        raise _Refused(XmlProblem("dtd", f"<!DOCTYPE {shown}>"))

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _Refused(XmlProblem("depth", f"deeper than {MAX_XML_DEPTH} levels at <{tag}>"))

    def end(self, tag: str) -> None:
        self.depth -= 1

    def close(self) -> None:
        return None


_DECLARATION = re.compile(r"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_HEAD_BYTES = 400
_PACKAGE_ENCODINGS = frozenset({"utf-8", "utf8", "utf-16", "utf16"})


def declared_encoding_problem(head: bytes) -> XmlProblem | None:
    """A problem when the XML declaration names an encoding other than UTF-8 or UTF-16.

    The Open Packaging Conventions allow only those two for XML parts; libxml2 and expat
    disagree on the rest (expat does not know EBCDIC, libxml2 does), so one parser would
    accept what the next one fails on.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        start = head[:_HEAD_BYTES].decode("utf-16", "replace")
    else:
        start = head[:200].decode("latin-1")
    match = _DECLARATION.match(start.lstrip("\ufeff\u00ef\u00bb\u00bf"))
    if match and match.group(1).strip().lower() not in _PACKAGE_ENCODINGS:
        return XmlProblem("encoding", match.group(1))
    return None


def defused_parser(**options: object) -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and never uses the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        **options,
    )


class XmlCheck:
    """Feed a part chunk by chunk; :meth:`close` returns its first problem, or ``None``."""

    def __init__(self) -> None:
        self._parser = defused_parser(target=_DepthTarget())
        self.problem: XmlProblem | None = None
        self._head: bytes | None = b""  # held until the XML declaration is seen whole

    def feed(self, chunk: bytes) -> None:
        if self.problem is not None:
            return
        if self._head is None:
            self._run(self._parser.feed, chunk)
            return
        self._head += chunk
        if len(self._head) >= _HEAD_BYTES or b">" in self._head:
            self._start()

    def close(self) -> XmlProblem | None:
        if self.problem is None and self._head is not None:
            self._start()
        if self.problem is None:
            self._run(self._parser.close)
        return self.problem

    @classmethod
    def problem_of(cls, data: bytes) -> XmlProblem | None:
        """The first problem of a whole document held in memory."""
        check = cls()
        check.feed(data)
        return check.close()

    def _start(self) -> None:
        head, self._head = self._head or b"", None
        self.problem = declared_encoding_problem(head)
        if self.problem is None:
            self._run(self._parser.feed, head)

    def _run(self, step: Callable[..., object], *args: bytes) -> None:
        try:
            step(*args)
        except _Refused as refused:
            self.problem = refused.problem
        except etree.XMLSyntaxError as exc:
            line, column = exc.position if exc.position else (None, None)
            self.problem = XmlProblem("syntax", exc.msg or str(exc), line, column)
