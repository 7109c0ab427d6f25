"""Column roles read from a table's header text and checked against its cells.

The vocabulary is data (``data/header_roles.yaml``, each variant with a note of where it
occurs).  An indicator table's header names its columns in one vocabulary (领域, 任务, 序号,
指标名称, 单位, 指标值 / 国家级指标要求, 指标属性, 现状值（2019年）, 近期目标（2025）, 是否达标 …);
a project table's in another (类别, 项目名称, 建设内容, 实施年限, 投资概算（万元）, 牵头单位 …).
Each header is matched after removing the spaces, line breaks and quote marks that layout
puts inside it.

A header of several rows is read from its lowest row up (:func:`header_role`): the
sub-header decides (是否达标 under 国家指标 is a verdict, scoped national), and its group
gives what it lacks (2025年 under 目标值 is a target; 指标值 under 省级 is a provincial
standard).  Years come from the header (``现状值（2019年）``, ``2025年目标值``, “十三五”末 →
2020); ``近期``/``远期`` without a year take the plan's near and far target years.  A bare
year column (``2020年``) is a target when the plan looks forward to that year (it is after
the base year, or, with no base year known, it is the plan's near or far target year) and no
target column names it, otherwise the measured value of that year.

The cells then confirm or overrule the header (:mod:`ecociv.ingest.column_content`): a
column of 是/否/已完成/未完成 is a verdict whatever its header says, a column of figures is
a value even under 完成情况.  Each column gets a ``confidence`` and its ``basis``
(:data:`CONFIDENCE`).  A verdict column records in ``compares`` which value column it
judges against which requirement column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ecociv.errors import ConfigError
from ecociv.ingest.column_content import ContentEvidence, column_evidence
from ecociv.model import Column

_VOCABULARY = "data/header_roles.yaml"
_SPACE = re.compile(r"[\s\u3000“”\"'‘’「」《》]+")
_YEAR = re.compile(r"((?:19|20)\d{2})")
_BARE_YEAR = re.compile(r"^((?:19|20)\d{2})年?度?(?:值|数值|年值)?(?:[（(][^）)]*[）)])?$")
VALUE_ROLES = frozenset({"baseline", "target", "value", "standard"})
_FROM_HEADER = frozenset({"header", "group", "year"})
#: role confidence by basis: how the role was reached (docs/plan-json.md, "Role confidence").
CONFIDENCE = {
    "header+content": 0.95,
    "mapping": 1.0,
    "header": 0.8,
    "group": 0.75,
    "year": 0.75,
    "content": 0.7,
    "content_over_header": 0.65,
    "none": 0.3,
}


@dataclass(frozen=True)
class YearContext:
    """The plan's years that headers may leave implicit."""

    base_year: int | None = None
    near_year: int | None = None
    far_year: int | None = None


def normalise_header(text: str) -> str:
    """The header without the spaces, line breaks and quote marks that layout puts inside it."""
    return _SPACE.sub("", text)


Rules = tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class HeaderVocabulary:
    """The header rules of ``data/header_roles.yaml``, compiled."""

    indicator: Rules
    project: Rules
    project_name: re.Pattern[str]
    five_year_plans: tuple[tuple[str, int, int], ...]


@cache
def vocabulary() -> HeaderVocabulary:
    """Load and compile the header vocabulary (once); a bad rule is a :class:`ConfigError`."""
    raw = yaml.safe_load(resources.files("ecociv.ingest").joinpath(_VOCABULARY).read_text("utf-8"))
    try:
        return HeaderVocabulary(
            indicator=_rules(raw["indicator"]),
            project=_rules(raw["project"]),
            project_name=re.compile(raw["project_name_header"]),
            five_year_plans=tuple(
                (name, int(first), int(last))
                for name, (first, last) in raw["five_year_plans"].items()
            ),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(
            f"表头词表 {_VOCABULARY} 格式有误：{exc}",
            f"the header vocabulary {_VOCABULARY} is malformed: {exc}",
        ) from exc


def _rules(entries: list[dict[str, str]]) -> Rules:
    for entry in entries:
        if not entry.get("note"):
            raise KeyError(f"rule {entry.get('pattern')!r} has no note")
    return tuple((entry["role"], re.compile(entry["pattern"])) for entry in entries)


def _match(rules: Rules, header: str) -> str:
    for role, pattern in rules:
        if pattern.search(header):
            return role
    return "other"


def header_year(header: str) -> int | None:
    """The year a header names: a four-digit year, or the last year of a named five-year plan."""
    match = _YEAR.search(header)
    if match:
        return int(match.group(1))
    for name, _first, last in vocabulary().five_year_plans:
        if name in header:
            return last
    return None


def header_scope(header: str, caption: str | None) -> str | None:
    """``national``/``provincial`` when the header (or else the caption) says so."""
    for text in (header, caption or ""):
        national = "国家" in text or "国家级" in text
        provincial = "省" in text
        if national and not provincial:
            return "national"
        if provincial and not national:
            return "provincial"
    return None


def is_project_header(headers: Sequence[str]) -> bool:
    """True when one header names projects (项目名称 / 工程名称)."""
    return any(vocabulary().project_name.match(normalise_header(h)) for h in headers)


def header_role(parts: Sequence[str]) -> tuple[str, str]:
    """The role a header names, and its basis, reading its rows from the lowest up.

    The lowest row decides when it names a role; a bare year or a row naming nothing takes
    its group's role (``group``); a bare year alone is ``bare_year``, resolved later.
    """
    normal = [normalise_header(p) for p in parts if normalise_header(p)]
    if not normal:
        return "other", "none"
    rules = vocabulary().indicator
    leaf = _match(rules, normal[-1])
    if leaf != "other":
        return leaf, "header"
    for group in reversed(normal[:-1]):
        role = _match(rules, group)
        if role in VALUE_ROLES or role == "verdict":
            return role, "group"
    if _BARE_YEAR.match(normal[-1]):
        return "bare_year", "year"
    whole = _match(rules, "".join(normal))
    return whole, ("header" if whole != "other" else "none")


def indicator_columns(
    headers: Sequence[str],
    years: YearContext,
    caption: str | None = None,
    parts: Sequence[Sequence[str]] | None = None,
    contents: Sequence[Sequence[str]] | None = None,
) -> list[Column]:
    """Columns with roles, keys, years, scopes and confidence for an indicator or review table.

    *headers* are the joined header texts; *parts* the header rows of each column, top to
    bottom (default: the header alone); *contents* the cells below each header.
    """
    drafts: list[Column] = []
    for index, raw in enumerate(headers):
        levels = parts[index] if parts is not None else (raw,)
        header = normalise_header(raw)
        role, basis = header_role(levels)
        year = header_year(normalise_header(levels[-1])) if levels else None
        if year is None:
            year = header_year(header)
        if role == "target" and year is None:
            year = years.far_year if "远期" in header else years.near_year
        if role == "baseline" and year is None:
            year = years.base_year
        drafts.append(Column(index=index, key="", role=role, header=raw, year=year, basis=basis))
    _resolve_bare_years(drafts, years)
    if contents is not None:
        for column, cells in zip(drafts, contents, strict=False):
            _weigh_content(column, column_evidence(cells))
    for column in drafts:
        column.confidence = CONFIDENCE[column.basis or "none"]
        if column.role in ("standard", "verdict"):
            column.scope = header_scope(normalise_header(column.header), caption)
    assign_keys(drafts)
    link_verdicts(drafts)
    return drafts


def _weigh_content(column: Column, evidence: ContentEvidence) -> None:
    """Let the cells confirm the header's role, or overrule it (module docstring)."""
    if column.role in ("seq", "name", "domain", "task", "unit", "attribute"):
        return
    if column.role == "verdict" and evidence.states_verdicts:
        column.basis = "header+content"
        return
    if column.role in ("other", "note") and evidence.states_verdicts:
        column.role, column.basis = "verdict", "content"
        return
    if column.role in VALUE_ROLES and evidence.overrules_a_value_header:
        column.role, column.basis = "verdict", "content_over_header"
        return
    if column.role == "verdict" and evidence.holds_values:
        column.role, column.basis = "value", "content_over_header"
    elif column.role in VALUE_ROLES and evidence.holds_values and column.basis in _FROM_HEADER:
        column.basis = "header+content"


def project_columns(headers: Sequence[str]) -> list[Column]:
    """Columns with roles and keys for a project table."""
    drafts = []
    for i, h in enumerate(headers):
        role = _match(vocabulary().project, normalise_header(h))
        basis = "header" if role != "other" else "none"
        drafts.append(
            Column(index=i, key="", role=role, header=h, confidence=CONFIDENCE[basis], basis=basis)
        )
    assign_keys(drafts)
    return drafts


def plain_columns(headers: Sequence[str]) -> list[Column]:
    """Columns of a table whose kind gives them no roles (``other``)."""
    return [Column(index=i, key=f"col{i}", role="other", header=h) for i, h in enumerate(headers)]


def _resolve_bare_years(columns: list[Column], years: YearContext) -> None:
    target_years = {c.year for c in columns if c.role == "target"}
    stated_base = [c.year for c in columns if c.role == "baseline" and c.year]
    base_year = stated_base[0] if stated_base else years.base_year
    for column in columns:
        if column.role != "bare_year":
            continue
        if base_year is not None:
            looks_ahead = (column.year or 0) > base_year
        else:  # no base year known: a year the plan names as its near or far target
            looks_ahead = column.year in (years.near_year, years.far_year)
        column.role = "target" if looks_ahead and column.year not in target_years else "value"


def assign_keys(columns: list[Column]) -> None:
    """Give each column its key: role, with year or scope, numbered when repeated."""
    seen: dict[str, int] = {}
    baselines = sum(1 for c in columns if c.role == "baseline")
    for column in columns:
        if column.role in ("target", "value") or (column.role == "baseline" and baselines > 1):
            base = f"{column.role}_{column.year}" if column.year else column.role
        elif column.role in ("standard", "verdict") and column.scope:
            base = f"{column.role}_{column.scope}"
        else:
            base = column.role
        count = seen.get(base, 0) + 1
        seen[base] = count
        column.key = base if count == 1 else f"{base}_{count}"


def link_verdicts(columns: list[Column]) -> None:
    """Say which value column each verdict column judges, and against which requirement."""
    for column in columns:
        if column.role != "verdict":
            column.compares = []
            continue
        left = [c for c in columns if c.index < column.index]
        values = [c for c in left if c.role in ("baseline", "value")]
        value = values[-1] if values else None
        requirement = _requirement_for(column, left, value)
        column.compares = [c.key for c in (value, requirement) if c is not None]


def _requirement_for(verdict: Column, left: list[Column], value: Column | None) -> Column | None:
    header = normalise_header(verdict.header)
    standards = [c for c in left if c.role == "standard"]
    targets = [c for c in left if c.role == "target"]
    if verdict.scope:
        scoped = [c for c in standards if c.scope == verdict.scope]
        if scoped:
            return scoped[-1]
    if "完成" in header or not standards:
        same_year = [c for c in targets if value is not None and c.year == value.year]
        if same_year:
            return same_year[-1]
        if targets:
            return targets[-1]
    return standards[-1] if standards else None
