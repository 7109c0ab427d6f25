"""Rules over a series of yearly values: trends, change from a base year, annual rates.

Trend strictness (``docs/verdicts.md`` §Trends), with the series y₀ … yₙ in year order:

* ``each_year`` (逐年上升, 逐年降低): every step moves strictly the named way; two equal
  consecutive years break it.
* ``overall`` (持续提高, 持续下降, 稳步提升, 逐步下降, 持续改善): the last value is strictly
  beyond the first; equal first and last values do not count.
* ``non_strict`` (不降低, 不下降): the last value is not worse than the first; equal counts.
* ``tolerance`` (保持稳定): |yₙ − y₀| ≤ tol·|y₀| (tol = 1 % unless the context says otherwise).

A series that stays at the best bound of a bounded share (100 % when higher is better, 0 when
lower is better) satisfies every improvement word: it cannot improve further.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

Points = Sequence[tuple[int, float]]


def moves(points: Points, up: bool, strictness: str, tolerance: float) -> bool:
    """Whether the series moves the named way under *strictness* (module docstring)."""
    first, last = points[0][1], points[-1][1]
    if strictness == "each_year":
        return all((b > a) if up else (b < a) for (_, a), (_, b) in pairwise(points))
    if strictness == "overall":
        return last > first if up else last < first
    if strictness == "non_strict":
        return last >= first if up else last <= first
    return abs(last - first) <= tolerance * abs(first)


def change_percent(base: float, current: float) -> float:
    """Relative change from *base* to *current* in percent: (current − base) / base × 100."""
    return (current - base) / base * 100.0


def annual_rate_percent(points: Points) -> float:
    """Average annual rate of change in percent, geometric over the first and last points.

    r = (yₙ / y₀)^(1/(tₙ − t₀)) − 1, the compound annual growth rate (CAGR) that Open SDG's
    ``growth_calculation`` uses (ANCHORS.md §2.2); negative for a decline.
    """
    (t0, y0), (t1, y1) = points[0], points[-1]
    return ((y1 / y0) ** (1.0 / (t1 - t0)) - 1.0) * 100.0
