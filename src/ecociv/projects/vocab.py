"""The project library's vocabularies and rules, read once from ``data/library.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

ChangeKind = Literal["text", "amount", "year", "units"]


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class ChangeField(Term):
    """A field a change request may alter; ``target`` is ``project.<column>`` or
    ``record.<column>``."""

    target: str
    kind: ChangeKind

    @property
    def table(self) -> str:
        return self.target.split(".", 1)[0]

    @property
    def column(self) -> str:
        return self.target.split(".", 1)[1]


@dataclass(frozen=True)
class Frequency(Term):
    pattern: re.Pattern[str]
    example: str


@dataclass(frozen=True)
class LaggingRule:
    """When a project lags (滞后); the numbers and their source are data."""

    progress_gap_points: float
    investment_ratio: float
    milestone_grace_days: int
    source: str


@cache
def _data() -> dict[str, Any]:
    text = resources.files("ecociv.projects").joinpath("data/library.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def funding_sources() -> dict[str, Term]:
    items = _data()["funding_sources"]["items"]
    return {code: Term(code, item["zh"], item["en"]) for code, item in items.items()}


@cache
def report_frequencies() -> dict[str, Frequency]:
    items = _data()["report_frequencies"]["items"]
    return {
        code: Frequency(
            code, item["zh"], item["en"], re.compile(item["pattern"]), str(item["example"])
        )
        for code, item in items.items()
    }


@cache
def change_fields() -> dict[str, ChangeField]:
    items = _data()["change_fields"]["items"]
    return {
        code: ChangeField(code, item["zh"], item["en"], item["target"], item["kind"])
        for code, item in items.items()
    }


@cache
def lagging_rule() -> LaggingRule:
    rule = _data()["lagging"]
    return LaggingRule(
        progress_gap_points=float(rule["progress_gap_points"]),
        investment_ratio=float(rule["investment_ratio"]),
        milestone_grace_days=int(rule["milestone_grace_days"]),
        source=rule["source"],
    )


@dataclass(frozen=True)
class SheetColumn:
    """A column of the 调度表 workbook (``read_only``: exported for reading, ignored on
    import)."""

    field: str
    zh: str
    en: str
    width: int
    read_only: bool


@cache
def sheet_layout() -> tuple[str, tuple[SheetColumn, ...]]:
    """The 调度表 sheet's name and columns, the same for export and import."""
    spec = _data()["dispatch_sheet"]
    return spec["sheet"], tuple(SheetColumn(**column) for column in spec["columns"])
