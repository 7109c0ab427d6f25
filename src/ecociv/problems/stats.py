"""Rectification statistics by unit, source and region: 完成率 and 按期完成率.

* 完成率 = problems closed (销号) / all problems;
* 按期完成率 = problems closed on or before their deadline (the deadline in force, moved
  only by an approved 延期) / problems that are due — closed ones and those whose deadline
  has passed by ``as_of``.  A problem still within its deadline and open is not yet counted
  either way.

By unit, a problem counts under its lead unit and under each responsible unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from ecociv.problems.records import list_problems
from ecociv.problems.roles import units_of
from ecociv.problems.vocab import sources
from ecociv.store.errors import ValidationError
from ecociv.store.services.departments import list_departments
from ecociv.store.tables.problems import Problem

Grouping = Literal["unit", "source", "region"]
GROUPINGS: tuple[Grouping, ...] = ("unit", "source", "region")


@dataclass(frozen=True)
class Rates:
    key: str
    label: str
    total: int
    closed: int
    due: int
    closed_on_time: int
    overdue_open: int

    @property
    def completion_rate(self) -> float | None:
        return round(self.closed / self.total, 4) if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.closed_on_time / self.due, 4) if self.due else None


def rates(
    session: Session, by: Grouping, as_of: date, *, region_code: str | None = None
) -> list[Rates]:
    if by not in GROUPINGS:
        raise ValidationError(
            f"分组方式 {by!r} 无效（{'/'.join(GROUPINGS)}）",
            f"invalid grouping {by!r} ({'/'.join(GROUPINGS)})",
            where="by",
        )
    labels = _labels(session, by)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for problem in list_problems(session, region_code=region_code):
        closed = problem.closed_at is not None
        on_time = (
            closed
            and problem.closed_at is not None
            and problem.closed_at.date() <= problem.deadline
        )
        due = closed or problem.deadline < as_of
        for key in _keys(problem, by):
            row = counts[key]
            row[0] += 1
            row[1] += closed
            row[2] += due
            row[3] += bool(on_time)
            row[4] += (not closed) and problem.deadline < as_of
            if by == "region":
                labels.setdefault(key, problem.region.name)
    return sorted(
        (Rates(key, labels.get(key, key), *row) for key, row in counts.items()),
        key=lambda r: (-r.total, r.key),
    )


def _keys(problem: Problem, by: Grouping) -> list[str]:
    if by == "unit":
        return sorted(units_of(problem)) or ["-"]
    if by == "source":
        return [problem.source]
    return [problem.region.code]


def _labels(session: Session, by: Grouping) -> dict[str, str]:
    if by == "unit":
        return {d.code: d.name for d in list_departments(session)} | {"-": "（未指定）"}
    if by == "source":
        return {code: term.zh for code, term in sources().items()}
    return {}
