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
NO_DEPARTMENT = "_none"
"""The department filter's value for rows without a responsible department (no department
code can be it: codes start with a letter or digit, ``departments.CODE_PATTERN``)."""


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the list to (None: everything); ``department`` is a
    department code, or :data:`NO_DEPARTMENT`."""

    status: str | None = None
    domain: str | None = None
    attribute: str | None = None
    department: str | None = None

    def keeps(self, row: GapRow | TargetRow, status: str) -> bool:
        attribute = row.attribute if isinstance(row, GapRow) else None
        return (
            (self.status is None or status == self.status)
            and (self.domain is None or row.domain == self.domain)
            and (self.attribute is None or attribute == self.attribute)
            and (
                self.department is None or (row.department_code or NO_DEPARTMENT) == self.department
            )
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


def _department(row: GapRow | TargetRow, t: Translate) -> str:
    return row.department or t("readiness.no_department")


def departments_of(rows: Iterable[GapRow | TargetRow], t: Translate) -> list[dict[str, str]]:
    """The department filter's choices: each department the rows name (by name), then
    "no responsible department" when a row has none."""
    named = {row.department_code: row.department for row in rows}
    choices = [
        {"code": code, "name": name}
        for code, name in sorted(named.items(), key=lambda kv: (kv[1] or "", kv[0] or ""))
        if code is not None and name is not None
    ]
    if None in named:
        choices.append({"code": NO_DEPARTMENT, "name": t("readiness.no_department")})
    return choices


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
    "readiness.col.department",
)


def gap_table(rows: Iterable[GapRow], t: Translate, lang: str, filters: Filters) -> dict[str, Any]:
    """Headers and the rows the filters keep, each a list of cell texts plus its status."""
    shown = []
    for row in rows:
        if not filters.keeps(row, row.status):
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
                    _department(row, t),
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
    "readiness.col.department",
)


def target_table(
    rows: Iterable[TargetRow], t: Translate, lang: str, filters: Filters
) -> dict[str, Any]:
    shown = []
    for row in rows:
        if not filters.keeps(row, row.badge):
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
                    _department(row, t),
                ],
            }
        )
    return {"headers": [t(key) for key in TARGET_COLUMNS], "rows": shown}
