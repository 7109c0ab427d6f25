"""Lagging-project warnings (滞后预警): actual against planned progress and investment, and
milestones past their planned date; the thresholds are :func:`~ecociv.projects.vocab.lagging_rule`.

Pure: values in, warnings out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from ecociv.projects.periods import elapsed_share
from ecociv.projects.vocab import LaggingRule, lagging_rule

LagKind = Literal["progress", "investment", "milestone"]


@dataclass(frozen=True)
class Milestone:
    name: str
    planned: date
    actual: date | None = None


@dataclass(frozen=True)
class Status:
    """What the latest 调度 report says, and the project's plan."""

    as_of: date
    first_year: int | None
    last_year: int | None
    investment_wan_yuan: float | None
    progress_percent: float | None = None
    planned_progress_percent: float | None = None
    invested_to_date_wan_yuan: float | None = None
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True)
class Lag:
    kind: LagKind
    zh: str
    en: str
    values: dict[str, Any] = field(default_factory=dict)


def planned_progress(status: Status) -> float | None:
    """The report's planned 形象进度 (%), else the straight-line share of the construction
    period elapsed at ``as_of``; None when neither is known."""
    if status.planned_progress_percent is not None:
        return status.planned_progress_percent
    if status.first_year is None:
        return None
    last = status.last_year if status.last_year is not None else status.first_year
    if last < status.first_year:
        return None
    return round(100 * elapsed_share(status.first_year, last, status.as_of), 1)


def lags(status: Status, rule: LaggingRule | None = None) -> list[Lag]:
    """Every way the project lags at ``status.as_of`` (empty when on schedule)."""
    rule = rule or lagging_rule()
    found: list[Lag] = []
    planned = planned_progress(status)
    actual = status.progress_percent
    if planned is not None and actual is not None and planned - actual >= rule.progress_gap_points:
        found.append(
            Lag(
                "progress",
                f"形象进度 {actual:g}%，计划 {planned:g}%，落后 {planned - actual:.1f} 个百分点",
                f"progress {actual:g}% against {planned:g}% planned, "
                f"{planned - actual:.1f} points behind",
                {"actual": actual, "planned": planned},
            )
        )
    if (
        planned is not None
        and status.investment_wan_yuan
        and status.invested_to_date_wan_yuan is not None
    ):
        due = status.investment_wan_yuan * planned / 100
        if due > 0 and status.invested_to_date_wan_yuan < rule.investment_ratio * due:
            done = status.invested_to_date_wan_yuan
            found.append(
                Lag(
                    "investment",
                    f"累计完成投资 {done:g} 万元，按计划应达 {due:.1f} 万元"
                    f"（完成 {100 * done / due:.0f}%，低于 {100 * rule.investment_ratio:g}%）",
                    f"{done:g} (10k yuan) invested to date against {due:.1f} planned "
                    f"({100 * done / due:.0f}%, below {100 * rule.investment_ratio:g}%)",
                    {"invested": done, "planned": round(due, 4)},
                )
            )
    grace = timedelta(days=rule.milestone_grace_days)
    for milestone in status.milestones:
        if milestone.actual is None and milestone.planned + grace < status.as_of:
            days = (status.as_of - milestone.planned).days
            found.append(
                Lag(
                    "milestone",
                    f"节点“{milestone.name}”计划 {milestone.planned.isoformat()} 完成，已逾期 {days} 天",
                    f"milestone “{milestone.name}” was due {milestone.planned.isoformat()}, "
                    f"{days} days overdue",
                    {"milestone": milestone.name, "planned": milestone.planned.isoformat()},
                )
            )
    return found
