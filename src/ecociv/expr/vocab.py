"""The phrase vocabulary (``vocab.yaml``) and units table (``units.yaml``), loaded once.

Both files are packaged data; they are validated when loaded (a malformed entry raises
:class:`ecociv.errors.ConfigError` naming the file and entry).  Everything the lexer and the
transformer need to know about a word comes from here, so adding a phrase is a data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecociv.errors import ConfigError

_STRICTNESS = {"each_year", "overall", "non_strict", "tolerance"}
_DIRECTIONS = {"up", "down", "improve", "stable", "not_down", "not_up"}
_OPS = {">=", "<=", ">", "<", "="}


@dataclass(frozen=True, slots=True)
class Unit:
    canonical: str
    factor: Decimal


@dataclass(frozen=True, slots=True)
class TokenClass:
    """One lexer token class: the grammar terminal it yields and how to recognise it."""

    terminal: str
    phrases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    @property
    def matchers(self) -> tuple[re.Pattern[str], ...]:
        """The patterns plus one alternation of the phrases, longest first (so the first
        alternative that matches is the longest phrase that matches)."""
        return self.patterns + _alternation(self.phrases)


def _alternation(words) -> tuple[re.Pattern[str], ...]:
    ordered = sorted(set(words), key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, ordered))),) if ordered else ()


@dataclass(frozen=True)
class Vocabulary:
    token_classes: tuple[TokenClass, ...]
    trends: dict[str, tuple[str, str]]
    milestones: dict[str, tuple[str, str | None]]
    protection_subjects: tuple[str, ...]
    comparison_ops: dict[str, str]
    suffix_ops: dict[str, str]
    references: dict[str, str]
    measures: dict[str, str]
    changes: dict[str, str]
    scopes: dict[str, str]
    units: dict[str, Unit]
    unit_pattern: re.Pattern[str]
    canonical_units: frozenset[str]
    english: dict[str, str]


def _read(name: str) -> dict[str, Any]:
    text = resources.files("ecociv.expr").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError(f"{name} 不是映射", f"{name} is not a mapping", where=name)
    return data


def _words(entries: list[dict[str, Any]], value: str, name: str, allowed: set[str] | None = None):
    table: dict[str, str] = {}
    for entry in entries:
        word, val = entry.get("word"), entry.get(value)
        if not isinstance(word, str) or not isinstance(val, str):
            raise ConfigError(
                f"vocab.yaml 的 {name} 条目缺少 word 或 {value}：{entry}",
                f"vocab.yaml {name} entry lacks word or {value}: {entry}",
                where="vocab.yaml",
            )
        if allowed is not None and val not in allowed:
            raise ConfigError(
                f"vocab.yaml 的 {name} 条目 {word} 的 {value} 无效：{val}",
                f"vocab.yaml {name} entry {word} has an invalid {value}: {val}",
                where="vocab.yaml",
            )
        table[word] = val
    return table


def unit_table(data: dict[str, Any], name: str = "units.yaml") -> dict[str, Unit]:
    """Every written variant of a unit → its canonical unit and exact factor.

    *data* holds a ``units`` list in the schema of ``units.yaml`` (``canonical``, ``variants``,
    ``factor_variants``); ``ecociv.gep`` keeps its own table in the same schema.
    """
    table: dict[str, Unit] = {}
    for entry in data["units"]:
        canonical = entry["canonical"]
        for variant in entry["variants"]:
            table[variant] = Unit(canonical, Decimal(1))
        for variant, factor in (entry.get("factor_variants") or {}).items():
            table[variant] = Unit(canonical, Decimal(str(factor)))
        if canonical not in table:
            raise ConfigError(
                f"{name}：标准单位 {canonical} 必须也是它自己的写法之一",
                f"{name}: canonical unit {canonical} must be one of its own variants",
                where=name,
            )
    return table


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, loaded and validated once."""
    data = _read("vocab.yaml")
    unit_data = _read("units.yaml")
    trends: dict[str, tuple[str, str]] = {}
    for entry in data["trend"]:
        if entry["direction"] not in _DIRECTIONS or entry["strictness"] not in _STRICTNESS:
            raise ConfigError(
                f"vocab.yaml 趋势词 {entry['word']} 的方向或严格程度无效",
                f"vocab.yaml trend word {entry['word']} has an invalid direction or strictness",
                where="vocab.yaml",
            )
        trends[entry["word"]] = (entry["direction"], entry["strictness"])
    milestones = {e["word"]: (e["kind"], e.get("state")) for e in data["milestone"]}
    for kind, _state in milestones.values():
        if milestones.get(kind) != (kind, None):
            raise ConfigError(
                f"vocab.yaml：里程碑类别 {kind} 需要一个同名且无状态的词条",
                f"vocab.yaml: milestone kind {kind} needs a stateless word of the same name",
                where="vocab.yaml",
            )
    prot = data["protection"]
    comparison_ops = _words(data["comparison_prefix"], "op", "comparison_prefix", _OPS)
    suffix_ops = _words(data["comparison_suffix"], "op", "comparison_suffix", _OPS)
    references = _words(data["reference"], "reference", "reference")
    measures = _words(data["measure"], "measure", "measure", {"increase", "decrease"})
    changes = _words(data["change"], "direction", "change", {"up", "down"})
    scopes = _words(data["scope"], "scope", "scope")
    quota_patterns = tuple(re.compile(p) for p in data["quota"].get("patterns", []))
    protection_pattern = re.compile(
        "(?:{})(?:{})".format(
            "|".join(map(re.escape, prot["subjects"])), "|".join(map(re.escape, prot["verbs"]))
        )
    )

    def cls(terminal: str, phrases=(), patterns=()) -> TokenClass:
        return TokenClass(terminal, tuple(phrases), tuple(patterns))

    syntax = data["syntax"]
    classes = [
        cls("NA", data["not_applicable"]["phrases"]),
        cls("NODATA", data["no_data"]["phrases"]),
        cls("SHARE", data["achievement"]["share"]),
        cls("QUOTA", data["quota"]["phrases"], quota_patterns),
        cls("BASIS", data["basis"]["phrases"], [re.compile(p) for p in data["basis"]["patterns"]]),
        cls("PROTECT", (), [protection_pattern]),
        cls("TREND", trends),
        cls("SCOPE", scopes),
        cls("MILESTONE", milestones),
        cls("ACHIEVE", data["achievement"]["phrases"]),
        cls("QUAL", data["qualitative"]["phrases"]),
        cls("REFERENCE", references),
        cls("MEASURE", measures),
        cls("CMP_PRE", comparison_ops),
        cls("CMP_POST", suffix_ops),
        cls("CHANGE", changes),
    ]
    classes += [cls(terminal, words) for terminal, words in syntax.items() if terminal != "ZHONG"]
    return Vocabulary(
        token_classes=tuple(classes),
        trends=trends,
        milestones=milestones,
        protection_subjects=tuple(prot["subjects"]),
        comparison_ops=comparison_ops,
        suffix_ops=suffix_ops,
        references=references,
        measures=measures,
        changes=changes,
        scopes=scopes,
        units=unit_table(unit_data),
        unit_pattern=_alternation(unit_table(unit_data))[0],
        canonical_units=frozenset(u.canonical for u in unit_table(unit_data).values()),
        english=dict(data.get("english") or {}),
    )
