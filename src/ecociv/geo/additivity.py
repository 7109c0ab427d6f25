"""Whether a city's value may be totalled from its districts' values, and the total.

Kinds of indicator and their additivity are data (``data/additivity.yaml``, with its source):
totals (areas, counts, amounts, masses, volumes) add up; ratios, concentrations, intensities,
days of the year and scores do not.  The kind comes from the row's canonical unit
(``ecociv/expr/units.yaml``), and a word of the indicator's name (人均, 率, 比例 …) overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecociv.expr.vocab import vocabulary

NO_UNIT = frozenset({"", "-", "—", "－", "/", "／"})
"""Unit cells that say "no unit" (a qualitative indicator: 建立, 全面实施)."""


@dataclass(frozen=True)
class Kind:
    key: str
    additive: bool
    zh: str
    en: str
    units: tuple[str, ...]
    reason_zh: str = ""
    reason_en: str = ""


@dataclass(frozen=True)
class Rules:
    source: str
    kinds: dict[str, Kind]
    by_unit: dict[str, str]
    name_words: tuple[tuple[str, str], ...]


@cache
def rules() -> Rules:
    path = resources.files("ecociv.geo") / "data" / "additivity.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {
        key: Kind(
            key=key,
            additive=bool(entry["additive"]),
            zh=entry["zh"],
            en=entry["en"],
            units=tuple(entry["units"]),
            reason_zh=entry.get("reason_zh", ""),
            reason_en=entry.get("reason_en", ""),
        )
        for key, entry in data["kinds"].items()
    }
    by_unit: dict[str, str] = {}
    for kind in kinds.values():
        for unit in kind.units:
            if unit in by_unit:
                raise ValueError(f"additivity.yaml: unit {unit!r} is in two kinds")
            by_unit[unit] = kind.key
    words = tuple((w["word"], w["kind"]) for w in data["name_words"])
    for _, kind_key in words:
        if kind_key not in kinds:
            raise ValueError(f"additivity.yaml: name word names an unknown kind {kind_key!r}")
    return Rules(source=data["source"], kinds=kinds, by_unit=by_unit, name_words=words)


@dataclass(frozen=True)
class Classified:
    """An indicator's kind, or None with the reason when it cannot be told."""

    kind: Kind | None
    unit: str | None
    factor: Decimal = Decimal(1)
    reason_zh: str = ""
    reason_en: str = ""


def classify(name: str, unit: str | None) -> Classified:
    """The kind of the indicator *name* written in *unit* (see the module doc)."""
    table = rules()
    for word, kind_key in table.name_words:
        if word in name:
            kind = table.kinds[kind_key]
            return Classified(kind, unit, reason_zh=f"名称含“{word}”", reason_en=f"name has {word}")
    if not unit or unit.strip() in NO_UNIT:
        return Classified(
            None,
            None,
            reason_zh="指标没有数值单位（定性指标），不能相加",
            reason_en="the indicator has no unit of measure (a qualitative indicator); nothing to sum",
        )
    known = vocabulary().units.get("".join(unit.split()).replace("％", "%"))
    if known is None or known.canonical not in table.by_unit:
        return Classified(
            None,
            unit,
            reason_zh=f"单位“{unit}”不在可加性表中，无法判断能否相加",
            reason_en=f"the unit {unit!r} is not in the additivity table",
        )
    kind = table.kinds[table.by_unit[known.canonical]]
    return Classified(kind, known.canonical, known.factor)


@dataclass
class Total:
    """The city's total from its districts: ``status`` is ``summed``, ``refused`` (the kind
    does not add up, or is unknown) or ``incomplete`` (some districts have no number)."""

    status: str
    kind: str | None
    method_zh: str
    method_en: str
    value: float | None = None
    unit: str | None = None
    missing: list[str] = field(default_factory=list)
    parts: int = 0
    source: str = ""


def district_total(name: str, unit: str | None, values: dict[str, float | None]) -> Total:
    """Sum *values* (district name → number in the row's unit, None when missing) when the
    indicator is additive; refuse with the reason otherwise; never sum a partial set."""
    found = classify(name, unit)
    source = rules().source
    if found.kind is None:
        return Total("refused", None, found.reason_zh, found.reason_en, source=source)
    kind = found.kind
    if not kind.additive:
        return Total(
            "refused",
            kind.key,
            f"{kind.zh}：{kind.reason_zh}",
            f"{kind.en}: {kind.reason_en}",
            source=source,
        )
    missing = sorted(district for district, value in values.items() if value is None)
    if missing or not values:
        return Total(
            "incomplete",
            kind.key,
            f"{kind.zh}可相加，但缺少 {'、'.join(missing) or '区县'} 的数值，不作部分合计",
            f"{kind.en} adds up, but no value for {', '.join(missing) or 'the districts'}; "
            "no partial total is given",
            missing=missing,
            source=source,
        )
    total = sum(Decimal(str(value)) for value in values.values() if value is not None)
    return Total(
        "summed",
        kind.key,
        f"{kind.zh}：全市值 = 各区县数值之和（{len(values)} 个区县）",
        f"{kind.en}: city value = sum of the {len(values)} districts' values",
        value=float(total),
        unit=unit,
        parts=len(values),
        source=source,
    )
