"""The report kinds, their sections and tables, loaded from ``data/kinds.yaml`` and checked
when loaded (every table a section names exists, widths fill the 156 mm type area of
GB/T 9704-2012 §5.2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ecociv.errors import ConfigError, InputError

if TYPE_CHECKING:
    from ecociv.report.chapters import Chapter

TYPE_AREA_WIDTH_MM = 156
"""版心宽 156 mm (GB/T 9704-2012 §5.2.1)."""


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    width: float
    number: bool = False

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class TableSpec:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class SectionSpec:
    zh: str
    en: str
    facts: str | None = None
    table: str | None = None
    narrative: str | None = None
    chart: str | None = None
    chapter: str | None = None
    """The key of an optional chapter (:mod:`ecociv.report.chapters`) this section shows."""

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def key(self) -> str:
        """The section's name within its kind (``{{ numbers.KEY }}``): its chapter, table,
        editable text, facts or figure, the first of these it has."""
        found = self.chapter or self.table or self.narrative or self.facts or self.chart
        if found is None:
            raise AssertionError(f"section {self.zh} shows nothing")
        return found


@dataclass(frozen=True)
class KindSpec:
    key: str
    zh: str
    en: str
    sections: tuple[SectionSpec, ...]

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def narratives(self) -> tuple[str, ...]:
        return tuple(s.narrative for s in self.sections if s.narrative)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(s.table for s in self.sections if s.table)


@dataclass(frozen=True)
class Registry:
    tables: dict[str, TableSpec]
    narratives: dict[str, dict[str, str]]
    kinds: dict[str, KindSpec]
    labels: dict[str, dict[str, dict[str, str]]]
    charts: dict[str, dict[str, str]]
    chart_style: dict[str, Any]
    """``data/charts.yaml``: sizes, resolution, fonts and colours of the figures."""

    def label(self, group: str, key: str, lang: str) -> str:
        return self.labels[group][key][lang]


@cache
def registry() -> Registry:
    from ecociv.report import chapters as optional

    folder = resources.files("ecociv.report") / "data"
    path = folder / "kinds.yaml"
    style = yaml.safe_load((folder / "charts.yaml").read_text(encoding="utf-8"))
    return parse_registry(
        path.read_text(encoding="utf-8"),
        source=str(path),
        chart_style=style,
        chapters=optional.chapters(),
    )


def parse_registry(
    text: str,
    *,
    source: str,
    chart_style: dict[str, Any] | None = None,
    chapters: tuple[Chapter, ...] = (),
) -> Registry:
    data = yaml.safe_load(text)
    tables = {
        key: TableSpec(key, spec["zh"], spec["en"], tuple(Column(**c) for c in spec["columns"]))
        for key, spec in data["tables"].items()
    }
    for chapter in chapters:
        if chapter.key in tables or chapter.key in data["narratives"]:
            raise ConfigError(
                f"可选章节 {chapter.key} 与已有的表或章节同名",
                f"optional chapter {chapter.key} has the name of an existing table or section",
                where=chapter.key,
            )
        if chapter.table is not None:
            tables[chapter.key] = chapter.table
    for table in tables.values():
        width = sum(column.width for column in table.columns)
        if abs(width - TYPE_AREA_WIDTH_MM) > 0.01:
            raise ConfigError(
                f"表 {table.key} 的列宽合计 {width} mm，应为版心宽 {TYPE_AREA_WIDTH_MM} mm",
                f"table {table.key}: columns add up to {width} mm, not {TYPE_AREA_WIDTH_MM} mm",
                where=source,
            )
    kinds = {
        key: KindSpec(
            key,
            spec["zh"],
            spec["en"],
            _with_chapters(key, [SectionSpec(**s) for s in spec["sections"]], chapters),
        )
        for key, spec in data["kinds"].items()
    }
    for kind in kinds.values():
        for section in kind.sections:
            if section.table is not None and section.table not in tables:
                raise ConfigError(
                    f"报告类型 {kind.key} 引用了不存在的表 {section.table}",
                    f"report kind {kind.key} names an unknown table {section.table}",
                    where=source,
                )
            if section.chart is not None and section.chart not in data["charts"]:
                raise ConfigError(
                    f"报告类型 {kind.key} 引用了不存在的图 {section.chart}",
                    f"report kind {kind.key} names an unknown chart {section.chart}",
                    where=source,
                )
            if section.narrative is not None and section.narrative not in data["narratives"]:
                raise ConfigError(
                    f"报告类型 {kind.key} 引用了不存在的叙述章节 {section.narrative}",
                    f"report kind {kind.key} names an unknown narrative {section.narrative}",
                    where=source,
                )
    return Registry(
        tables, data["narratives"], kinds, data["labels"], data.get("charts", {}), chart_style or {}
    )


def _with_chapters(
    kind: str, sections: list[SectionSpec], chapters: tuple[Chapter, ...]
) -> tuple[SectionSpec, ...]:
    """The kind's sections with its optional chapters before the first section that is only
    an editable text (形势分析 …), or at the end."""
    position = next(
        (i for i, s in enumerate(sections) if s.narrative and not (s.facts or s.table)),
        len(sections),
    )
    added = [
        SectionSpec(c.zh, c.en, facts=c.key, table=c.key if c.table else None, chapter=c.key)
        for c in chapters
        if kind in c.kinds
    ]
    return tuple(sections[:position] + added + sections[position:])


def kind_spec(kind: str) -> KindSpec:
    found = registry().kinds.get(kind)
    if found is None:
        names = "、".join(registry().kinds)
        raise InputError(
            f"报告类型 {kind!r} 不存在，可选：{names}",
            f"unknown report kind {kind!r}; choose one of {', '.join(registry().kinds)}",
        )
    return found
