"""Column roles read from a table's header text.

The vocabulary is data (``data/header_roles.yaml``).  An indicator table's header names its
columns in a small vocabulary (领域, 任务, 序号,
指标名称, 单位, 指标值 / 国家级指标要求 / 省级指标要求, 指标属性, 现状值（2019年）,
近期目标（2025）, 远期目标(2030), 是否达标 …); a project table's in another (类别, 项目名称,
建设内容, 建设性质, 实施年限, 投资概算（万元）, 牵头单位 …).  Each header is matched against
the vocabulary after removing the spaces and line breaks that table layout puts inside it.

Years come from the header (``现状值（2019年）``, ``2025年目标值``); ``近期``/``远期`` without
a year take the plan's near and far target years.  A bare year column (``2020年``) is a
target when the plan looks forward to that year and no target column names it, otherwise
the measured value of that year (review tables: ``2015年 | 2020年 | 2020年目标值``).
A verdict column (``是否达到国家要求``, ``完成情况`` …) records in ``compares`` which value
column it judges against which requirement column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ecociv.errors import ConfigError
from ecociv.model import Column

_VOCABULARY = "data/header_roles.yaml"
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"((?:19|20)\d{2})")
_BARE_YEAR = re.compile(r"^((?:19|20)\d{2})年?(?:[（(][^）)]*[）)])?$")


@dataclass(frozen=True)
class YearContext:
    """The plan's years that headers may leave implicit."""

    base_year: int | None = None
    near_year: int | None = None
    far_year: int | None = None


def normalise_header(text: str) -> str:
    """The header without the spaces and line breaks that layout puts inside it."""
    return _SPACE.sub("", text.replace("\u3000", ""))


Rules = tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class HeaderVocabulary:
    """The header rules of ``data/header_roles.yaml``, compiled."""

    indicator: Rules
    project: Rules
    project_name: re.Pattern[str]


@cache
def vocabulary() -> HeaderVocabulary:
    """Load and compile the header vocabulary (once); a bad rule is a :class:`ConfigError`."""
    raw = yaml.safe_load(resources.files("ecociv.ingest").joinpath(_VOCABULARY).read_text("utf-8"))
    try:
        return HeaderVocabulary(
            indicator=_rules(raw["indicator"]),
            project=_rules(raw["project"]),
            project_name=re.compile(raw["project_name_header"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError(
            f"表头词表 {_VOCABULARY} 格式有误：{exc}",
            f"the header vocabulary {_VOCABULARY} is malformed: {exc}",
        ) from exc


def _rules(entries: list[dict[str, str]]) -> Rules:
    return tuple((entry["role"], re.compile(entry["pattern"])) for entry in entries)


def _match(rules: Rules, header: str) -> str:
    for role, pattern in rules:
        if pattern.search(header):
            return role
    return "other"


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


def indicator_columns(
    headers: Sequence[str], years: YearContext, caption: str | None = None
) -> list[Column]:
    """Columns with roles, keys, years and scopes for an indicator or review table."""
    drafts: list[Column] = []
    for index, raw in enumerate(headers):
        header = normalise_header(raw)
        role = _match(vocabulary().indicator, header)
        year_match = _YEAR.search(header)
        year = int(year_match.group(1)) if year_match else None
        if role == "other" and _BARE_YEAR.match(header):
            role = "bare_year"
        if role == "target" and year is None:
            year = years.far_year if "远期" in header else years.near_year
        if role == "baseline" and year is None:
            year = years.base_year
        scope = header_scope(header, caption) if role in ("standard", "verdict") else None
        drafts.append(Column(index=index, key="", role=role, header=raw, year=year, scope=scope))
    _resolve_bare_years(drafts, years)
    _assign_keys(drafts)
    _link_verdicts(drafts)
    return drafts


def project_columns(headers: Sequence[str]) -> list[Column]:
    """Columns with roles and keys for a project table."""
    drafts = [
        Column(index=i, key="", role=_match(vocabulary().project, normalise_header(h)), header=h)
        for i, h in enumerate(headers)
    ]
    _assign_keys(drafts)
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
        looks_ahead = base_year is not None and (column.year or 0) > base_year
        column.role = "target" if looks_ahead and column.year not in target_years else "value"


def _assign_keys(columns: list[Column]) -> None:
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


def _link_verdicts(columns: list[Column]) -> None:
    """Say which value column each verdict column judges, and against which requirement."""
    for column in columns:
        if column.role != "verdict":
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
