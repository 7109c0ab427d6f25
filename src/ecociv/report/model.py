"""The plain data of a report: what every renderer reads (no store, no file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecociv.report.registry import kind_spec

Cell = str | float | int | None
"""A table cell: text, a number (kept a number in .xlsx), or empty."""

EMPTY = "—"


@dataclass
class Table:
    key: str
    caption: str
    headers: list[str]
    keys: list[str]
    rows: list[dict[str, Cell]]
    note: str = ""


@dataclass
class Narrative:
    """An editable section (形势分析, 存在问题 …): pre-filled text and the facts behind it."""

    key: str
    title: str
    text: str
    facts: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Stack:
    """One coloured part of every bar: its legend label, its colour role
    (``data/charts.yaml``) and a value per category."""

    label: str
    role: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Bars:
    """Horizontal stacked bars: one bar per category, one colour per stack."""

    categories: tuple[str, ...]
    stacks: tuple[Stack, ...]
    axis: str
    """The value axis's title with its unit, e.g. 指标数（项）."""


@dataclass(frozen=True)
class Trend:
    """One indicator over the years: values, baseline, targets, the standard's threshold
    and the projection to the target year (the dashboard's indicator chart, on paper)."""

    title: str
    unit: str | None
    observed: tuple[tuple[int, float], ...]
    baseline: tuple[int, float] | None = None
    targets: tuple[tuple[int, float], ...] = ()
    threshold: float | None = None
    projection: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Chart:
    """A figure of the report: a caption and what to draw (bars, or trend panels)."""

    key: str
    caption: str
    bars: Bars | None = None
    trends: tuple[Trend, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    """Legend words (observed, target, threshold …) in the report's language."""


@dataclass
class Section:
    key: str
    """:attr:`ecociv.report.registry.SectionSpec.key`."""
    number: str
    title: str
    facts_key: str | None = None
    facts: list[str] = field(default_factory=list)
    table: Table | None = None
    narrative: Narrative | None = None
    chart: Chart | None = None


@dataclass
class Report:
    kind: str
    lang: str
    title: str
    region_code: str
    region_name: str
    plan_id: int
    plan_name: str
    plan_version: int
    year: int
    period: str
    standard: str
    data_revision: str
    generated_at: str
    sections: list[Section]

    @property
    def tables(self) -> dict[str, Table]:
        return {s.table.key: s.table for s in self.sections if s.table is not None}

    @property
    def narratives(self) -> dict[str, Narrative]:
        return {s.narrative.key: s.narrative for s in self.sections if s.narrative is not None}

    @property
    def charts(self) -> dict[str, Chart]:
        return {s.chart.key: s.chart for s in self.sections if s.chart is not None}


def show(value: Cell) -> str:
    """A cell as printed in Word: numbers without float noise (at most 4 decimals, no
    trailing zeros, no ``-0``), empty as ``—``."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def number(value: float | None, digits: int = 4) -> float | None:
    """A number rounded for print and for .xlsx (float noise such as 38.400000000000006 off)."""
    if value is None:
        return None
    rounded = round(value, digits)
    return 0.0 if rounded == 0 else rounded


def context_of(report: Report) -> dict[str, Any]:
    """The template context: every placeholder of ``docs/reports.md``."""
    sections = []
    for section in report.sections:
        table = section.table
        sections.append(
            {
                "number": section.number,
                "title": section.title,
                "facts": section.facts,
                "table": _table_context(table) if table else None,
                "narrative": section.narrative.paragraphs if section.narrative else [],
                "chart": _chart_context(section.chart),
            }
        )
    return {
        "title": report.title,
        "kind": report.kind,
        "region_code": report.region_code,
        "region_name": report.region_name,
        "plan_name": report.plan_name,
        "plan_version": report.plan_version,
        "year": report.year,
        "period": report.period,
        "standard": report.standard,
        "data_revision": report.data_revision,
        "generated_at": report.generated_at,
        "sections": sections,
        "tables": {key: _table_context(table) for key, table in report.tables.items()},
        "narratives": {key: n.paragraphs for key, n in report.narratives.items()},
        "facts": {s.facts_key: s.facts for s in report.sections if s.facts_key},
        "numbers": _numbers(report),
        "charts": {key: _chart_context(report.charts.get(key)) for key in _chart_keys(report)},
    }


def _numbers(report: Report) -> dict[str, str]:
    """Every section of the kind → its number (``七、``), or empty when this report leaves it
    out (an optional chapter without data): headings after it are numbered on."""
    numbers = {section.key: "" for section in kind_spec(report.kind).sections}
    numbers.update({section.key: section.number for section in report.sections})
    return numbers


def _chart_keys(report: Report) -> list[str]:
    """Every chart the kind can have: a template may name one the data leaves out (no
    projects, say), and then finds it empty rather than undefined."""
    return [s.chart for s in kind_spec(report.kind).sections if s.chart]


def _chart_context(chart: Chart | None) -> dict[str, Any] | None:
    """``caption`` and ``image`` (the renderer puts the picture in; None until then)."""
    return {"key": chart.key, "caption": chart.caption, "image": None} if chart else None


def _table_context(table: Table) -> dict[str, Any]:
    return {
        "caption": table.caption,
        "headers": table.headers,
        "note": table.note,
        "rows": [{key: show(row.get(key)) for key in table.keys} for row in table.rows],
    }
