"""Optional chapters other areas contribute to the reports (可选章节), e.g. a GEP chapter.

An area adds one module to this package that defines ``CHAPTER = Chapter(...)``; the package
finds every such module (no shared list to edit), and :func:`ecociv.report.registry.registry`
puts each chapter into the kinds it names, before their first editable-only section (形势分析
…), so the machine-written chapters come before the bureau's judgement.  A chapter has:

* ``read(session, scope)`` — its own reading of the store for the plan, region and year (the
  only place it touches the database; it must not write).  What it returns is JSON-able: it is
  part of the report's data revision.  ``None`` means nothing is stored for that region and
  year: the report then leaves the chapter out (heading, facts and table; the sections after
  it are numbered on);
* ``facts(data, lang)`` — its paragraphs (``{{ facts.<key> }}`` in a template);
* optionally ``table`` (columns, widths filling the 156 mm type area) and ``rows(data, lang)``
  (``{{ tables.<key> }}``).

After adding a chapter, write the default templates again (``python -m
ecociv.report.template_writer``) and document its facts and table in ``docs/reports.md``;
the tests of ``tests/report`` fail until both are done.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ecociv.report.model import Cell
    from ecociv.report.registry import TableSpec


@dataclass(frozen=True)
class ChapterScope:
    """What a chapter reads the store for."""

    plan_id: int
    region_code: str
    year: int


@dataclass(frozen=True)
class Chapter:
    key: str
    zh: str
    en: str
    kinds: tuple[str, ...]
    read: Callable[[Session, ChapterScope], Any]
    facts: Callable[[Any, str], list[str]]
    """Called only with what ``read`` returned when it was not None."""
    table: TableSpec | None = None
    rows: Callable[[Any, str], list[dict[str, Cell]]] | None = None


@cache
def chapters() -> tuple[Chapter, ...]:
    """Every ``CHAPTER`` of this package's modules, in module name order."""
    found = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        chapter = getattr(importlib.import_module(f"{__name__}.{module.name}"), "CHAPTER", None)
        if isinstance(chapter, Chapter):
            found.append(chapter)
    return tuple(found)
