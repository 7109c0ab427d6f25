"""调度 periods: ``2025-03`` (monthly) and ``2025-Q1`` (quarterly), their last day, and the
share of a project's construction period elapsed by then."""

from __future__ import annotations

import calendar
import re
from datetime import date

from ecociv.errors import EcocivError
from ecociv.projects.vocab import report_frequencies


class PeriodError(EcocivError):
    """A period label that is not of the project's reporting frequency."""


def period_end(label: str, frequency: str) -> date:
    """The last day of the period *label* written at *frequency* (``monthly``/``quarterly``)."""
    frequencies = report_frequencies()
    if frequency not in frequencies:
        raise PeriodError(
            f"调度频率 {frequency!r} 无效（可选：{'、'.join(frequencies)}）",
            f"unknown reporting frequency {frequency!r} (one of: {', '.join(frequencies)})",
            where=frequency,
        )
    spec = frequencies[frequency]
    match = spec.pattern.fullmatch(label)
    if match is None:
        raise PeriodError(
            f"调度期 {label!r} 不符合{spec.zh}的写法（例：{spec.example}）",
            f"period {label!r} is not a {spec.en} period (e.g. {spec.example})",
            where=label,
        )
    return _last_day(match)


def parse_period(label: str) -> tuple[str, date]:
    """The frequency a period label is written at, and its last day."""
    for code, spec in report_frequencies().items():
        match = spec.pattern.fullmatch(label)
        if match is not None:
            return code, _last_day(match)
    examples = "、".join(spec.example for spec in report_frequencies().values())
    raise PeriodError(
        f"调度期 {label!r} 无法识别（例：{examples}）",
        f"unrecognised period {label!r} (e.g. {examples.replace('、', ', ')})",
        where=label,
    )


def _last_day(match: re.Match[str]) -> date:
    year = int(match["year"])
    month = int(match["month"]) if "month" in match.groupdict() else 3 * int(match["quarter"])
    return date(year, month, calendar.monthrange(year, month)[1])


def elapsed_share(first_year: int, last_year: int, on: date) -> float:
    """The share (0–1) of 1 January *first_year* … 31 December *last_year* elapsed at the end
    of *on* — the straight-line plan used when a report states no planned progress."""
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    if on < start:
        return 0.0
    if on >= end:
        return 1.0
    return ((on - start).days + 1) / ((end - start).days + 1)
