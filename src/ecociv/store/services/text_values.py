"""Reading a value typed by an editor (``26.5``, ``26.5μg/m3``, ``暂无数据``, ``/``) with
:func:`ecociv.expr.parse_value`, and naming units canonically with the units table of
:mod:`ecociv.expr` (``units.yaml``) — the one place that knows the cell language and the
unit variants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ecociv.expr import Annotated, Named, NoData, NotApplicable, Number, parse_value
from ecociv.expr.codec import to_json
from ecociv.expr.vocab import vocabulary

SILENT_KINDS = (NoData, NotApplicable)
"""Texts that legitimately carry no number (暂无数据, 未统计, /, -)."""
SILENT_KIND_NAMES = frozenset(kind.__name__ for kind in SILENT_KINDS)
UNREAD_KIND = "Text"
"""The kind :func:`ecociv.expr.parse_value` gives a text it cannot read."""
NUMBER_THEN_WORD = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([^\s\d.+-][^\s]{0,31})")


@dataclass
class TextReading:
    """What the text says: a number (and unit) when it states one, its parsed form, and
    diagnostics (each a (zh, en) pair)."""

    text: str
    number: float | None = None
    unit: str | None = None
    kind: str = UNREAD_KIND
    expr: dict[str, Any] | None = None
    diagnostics: list[tuple[str, str]] = field(default_factory=list)

    @property
    def says_missing(self) -> bool:
        """The text states that there is no value (暂无数据, 未统计) or that none applies (/)."""
        return self.kind in SILENT_KIND_NAMES

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "number": self.number,
            "unit": self.unit,
            "kind": self.kind,
            "expr": self.expr,
            "diagnostics": [{"zh": zh, "en": en} for zh, en in self.diagnostics],
        }


def read_text(text: str) -> TextReading:
    """Parse *text* as an observed value; never raises.  The diagnostics speak to the editor:
    one message, no grammar or file names (the value language's own diagnostics are for plan
    authors and stay in ``expr``)."""
    parsed = parse_value(text)
    expr = parsed.expr
    reading = TextReading(text=text, kind=type(expr).__name__, expr=to_json(expr))
    inner = expr.expr if isinstance(expr, Annotated | Named) else expr
    if isinstance(inner, Number):
        reading.number, reading.unit = float(inner.value), inner.unit
        if inner is not expr:
            reading.diagnostics.append(
                (
                    f"读取数值 {inner.value}，说明部分按原文保存",
                    f"read the number {inner.value}; the rest is kept as written",
                )
            )
    elif reading.kind != UNREAD_KIND and not isinstance(expr, SILENT_KINDS):
        reading.diagnostics.append(
            (
                f"“{text}”不是单一数值（例如范围或比较），将按原文保存，不参与数值比较",
                f"“{text}” is not a single number (a range or comparison, say); "
                "it is kept as written and not compared",
            )
        )
    return reading


def split_number_and_unit(text: str) -> tuple[float, str] | None:
    """``26 mg/m3`` → (26.0, ``mg/m3``): a number followed by one word, which the value
    language leaves unread when the word is not one of its units; ``None`` otherwise."""
    match = NUMBER_THEN_WORD.fullmatch(text.strip())
    return (float(match[1]), match[2]) if match else None


def canonical_unit(unit: str) -> str:
    """The canonical spelling of *unit* (``μg/m3`` → ``µg/m³``); a variant that needs a
    conversion factor (亿元 vs 万元) or an unknown unit is returned as written."""
    written = "".join(unit.split())
    known = vocabulary().units.get(written)
    return known.canonical if known is not None and known.factor == 1 else written
