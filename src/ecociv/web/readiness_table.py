"""The readiness (创建) page's tables as text, cell by cell, in one language.

The page, its JSON twin and its .xlsx export all take their cells from here, so the workbook
holds exactly what the page shows (``tests/web/test_web_readiness.py`` reads both and compares).
No internal code reaches a cell: indicators are named, statuses and badges translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ecociv.store.services.readiness import GapRow, TargetRow

Translate = Callable[..., str]


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the list to (None: everything)."""

    status: str | None = None
    domain: str | None = None
    attribute: str | None = None

    def keeps(self, status: str, domain: str | None, attribute: str | None) -> bool:
        return (
            (self.status is None or status == self.status)
            and (self.domain is None or domain == self.domain)
            and (self.attribute is None or attribute == self.attribute)
        )

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}


def number_text(value: float | None) -> str:
    """``72.5`` → ``72.5``, ``30.0`` → ``30``; nothing for None."""
    if value is None:
        return ""
    return f"{value:.10g}"


def signed(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return ""
    text = f"{value:+.10g}"
    return f"{text} {unit}" if unit else text


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def _reason(row: GapRow | TargetRow, lang: str) -> str:
    return row.reason_zh if lang == "zh" else row.reason_en


def _missing(row: GapRow | TargetRow, lang: str) -> str:
    items = row.missing_zh if lang == "zh" else row.missing_en
    return "；".join(items) if lang == "zh" else "; ".join(items)


def _value(row: GapRow | TargetRow) -> str:
    text = row.value_text if row.value_text is not None else number_text(row.value)
    return f"{text}（{row.year}）" if text and row.year is not None else text


GAP_COLUMNS = (
    "readiness.col.seq",
    "readiness.col.indicator",
    "readiness.col.domain",
    "readiness.col.status",
    "readiness.col.value",
    "readiness.col.requirement",
    "readiness.col.margin",
    "readiness.col.margin_pct",
    "readiness.col.reason",
    "readiness.col.missing",
)


def gap_table(rows: Iterable[GapRow], t: Translate, lang: str, filters: Filters) -> dict[str, Any]:
    """Headers and the rows the filters keep, each a list of cell texts plus its status."""
    shown = []
    for row in rows:
        if not filters.keeps(row.status, row.domain, row.attribute):
            continue
        shown.append(
            {
                "status": row.status,
                "cells": [
                    row.seq,
                    row.name + (f"（{row.unit}）" if row.unit else ""),
                    row.domain or "",
                    t(f"status.{row.status}"),
                    _value(row),
                    _requirement(row, t),
                    signed(row.margin, row.unit),
                    percent(row.margin_pct),
                    _reason(row, lang),
                    _missing(row, lang),
                ],
            }
        )
    return {"headers": [t(key) for key in GAP_COLUMNS], "rows": shown}


def _requirement(row: GapRow, t: Translate) -> str:
    if row.requirement is None:
        return ""
    if row.requirement == "unknown":
        return t("readiness.unknown_threshold")
    return row.requirement


TARGET_COLUMNS = (
    "readiness.col.seq",
    "readiness.col.indicator",
    "readiness.col.domain",
    "readiness.col.badge",
    "readiness.col.value",
    "readiness.col.target",
    "readiness.col.margin",
    "readiness.col.anticipated",
    "readiness.col.reason",
    "readiness.col.missing",
)


def target_table(
    rows: Iterable[TargetRow], t: Translate, lang: str, filters: Filters
) -> dict[str, Any]:
    shown = []
    for row in rows:
        if not filters.keeps(row.badge, row.domain, None):
            continue
        target = row.target_text or ""
        if target and row.target_year is not None:
            target = f"{target}（{row.target_year}）"
        shown.append(
            {
                "status": row.badge,
                "cells": [
                    row.seq or "",
                    row.name + (f"（{row.unit}）" if row.unit else ""),
                    row.domain or "",
                    t(f"badge.{row.badge}"),
                    _value(row),
                    target,
                    signed(row.margin, row.unit) if row.due or row.status == "met" else "",
                    number_text(row.anticipated_value),
                    _reason(row, lang),
                    _missing(row, lang),
                ],
            }
        )
    return {"headers": [t(key) for key in TARGET_COLUMNS], "rows": shown}
