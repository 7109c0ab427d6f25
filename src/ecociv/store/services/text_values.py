"""Reading a value cell typed by an editor (``26.5``, ``26.5μg/m³``, ``暂无数据``, ``/``) and
naming units canonically, through :mod:`ecociv.expr` (the one place that knows the cell
language and the unit variants).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(\S*)\s*$")


@dataclass
class TextReading:
    """What the text says: a number (and unit) when it states one, and diagnostics."""

    text: str
    number: float | None = None
    unit: str | None = None
    kind: str = "text"
    expr: dict[str, Any] | None = None
    diagnostics: list[tuple[str, str]] = field(default_factory=list)

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
    try:
        from ecociv.expr import parse_value
    except ImportError:
        return _read_plain_number(text)
    return _reading_from_expr(text, parse_value(text))


def canonical_unit(unit: str) -> str:
    try:
        from ecociv.expr.units import canonical_unit as expr_canonical_unit
    except ImportError:
        return unicodedata.normalize("NFKC", unit).strip()
    return expr_canonical_unit(unit) or unit.strip()


def _read_plain_number(text: str) -> TextReading:
    match = _NUMBER.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return TextReading(
            text=text,
            diagnostics=[
                (
                    "文字未能读出数值，将按原文保存",
                    "no number could be read; the text is kept as written",
                )
            ],
        )
    return TextReading(
        text=text, number=float(match.group(1)), unit=match.group(2) or None, kind="number"
    )


def _reading_from_expr(text: str, parsed: Any) -> TextReading:
    expr = getattr(parsed, "expr", parsed)
    reading = TextReading(text=text, kind=type(expr).__name__.lower())
    value = getattr(expr, "value", None)
    if isinstance(value, Decimal | int | float) and type(expr).__name__ == "Number":
        reading.number = float(value)
        reading.unit = getattr(expr, "unit", None)
    for diagnostic in getattr(parsed, "diagnostics", ()) or ():
        reading.diagnostics.append(
            (
                getattr(diagnostic, "message_zh", str(diagnostic)),
                getattr(diagnostic, "message_en", str(diagnostic)),
            )
        )
    if reading.number is None and not reading.diagnostics:
        reading.diagnostics.append(
            (
                f"文字按“{reading.kind}”理解，不含可比较的数值",
                f"read as {reading.kind}; no comparable number in it",
            )
        )
    return reading
