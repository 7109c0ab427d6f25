"""Progress from a baseline toward a target, and the value anticipated at the target year.

Two questions, kept apart (ANCHORS.md §2.1–2.2):

* **progress made** — the share of the baseline→target distance already travelled,
  ``(y_latest − y_base) / (target − y_base)`` (ESCAP's current-status measure; 1 = reached);
* **anticipated progress** — the value expected at the target year from a *time-weighted
  linear regression* over the observed years (ESCAP's anticipated-progress idea: recent years
  count more), as a share of the same distance: ``APr = (ŷ_T − y_base) / (target − y_base)``.

Weights: the i-th observed year, counted from the first (i = 1 … n), gets weight
``w = t − t_first + 1`` — linear in recency, so the latest of five annual points counts five
times the first.  Weighted least squares: ``b = Σw(t − t̄)(y − ȳ) / Σw(t − t̄)²``,
``a = ȳ − b·t̄`` with weighted means t̄, ȳ; ``ŷ_T = a + b·T``.

Status (thresholds from Open SDG's target method, ANCHORS.md §2.2):

* ``target_met`` — the latest value already meets the target (direction-aware);
* ``on_track`` — APr ≥ 0.95;
* ``off_track`` — APr < 0.95, with ``category`` ``moderate`` (0.60 ≤ APr < 0.95),
  ``limited`` (0 ≤ APr < 0.60) or ``deterioration`` (APr < 0, moving away);
* ``insufficient_data`` — fewer than two observed years, or target equal to the baseline.

Every :class:`Projection` records the method and its parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

ProgressStatus = Literal["target_met", "on_track", "off_track", "insufficient_data"]
Category = Literal[
    "achieved", "substantial", "moderate", "limited", "deterioration", "not_available"
]

METHOD = "time_weighted_linear_regression"
ON_TRACK = 0.95
MODERATE = 0.60
LIMITED = 0.0


class Projection(BaseModel):
    """A progress assessment and projection of one indicator, with its method recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: ProgressStatus
    category: Category
    reason_zh: str
    reason_en: str
    method: str = METHOD
    method_params: dict[str, object]
    better: Literal["higher", "lower"]
    base_year: int | None = None
    base_value: float | None = None
    target_year: int
    target_value: float
    latest_year: int | None = None
    latest_value: float | None = None
    observed: dict[int, float]
    slope: float | None = None
    anticipated_value: float | None = None
    progress_made: float | None = None
    anticipated_progress: float | None = None


def weighted_trend(points: list[tuple[int, float]]) -> tuple[float, float]:
    """(value at the first year, slope) of the time-weighted least-squares line.

    Years are counted from the first observed year (t − t_first) to keep the arithmetic exact.
    """
    first = points[0][0]
    points = [(t - first, y) for t, y in points]
    weights = [t + 1 for t, _ in points]
    total = sum(weights)
    t_mean = sum(w * t for w, (t, _) in zip(weights, points, strict=True)) / total
    y_mean = sum(w * y for w, (_, y) in zip(weights, points, strict=True)) / total
    sxx = sum(w * (t - t_mean) ** 2 for w, (t, _) in zip(weights, points, strict=True))
    sxy = sum(w * (t - t_mean) * (y - y_mean) for w, (t, y) in zip(weights, points, strict=True))
    slope = sxy / sxx
    return y_mean - slope * t_mean, slope


def _meets(value: float, target: float, better: str) -> bool:
    return value >= target if better == "higher" else value <= target


def project(
    observed: Mapping[int, float],
    *,
    target_value: float,
    target_year: int,
    better: Literal["higher", "lower"],
    base_year: int | None = None,
) -> Projection:
    """Assess progress toward *target_value* by *target_year* from yearly *observed* values.

    The baseline is the value at *base_year*, or at the first observed year after it when
    that year is missing (Open SDG's rule), or the first observation when no base is given.
    """
    points = sorted((int(t), float(y)) for t, y in observed.items())
    params: dict[str, object] = {
        "weights": "w = t - t_first + 1",
        "on_track": ON_TRACK,
        "moderate": MODERATE,
        "limited": LIMITED,
    }
    common: dict[str, Any] = {
        "better": better,
        "target_year": target_year,
        "target_value": target_value,
        "observed": dict(points),
        "method_params": params,
    }
    eligible = [p for p in points if base_year is None or p[0] >= base_year]
    if not eligible:
        return Projection(
            status="insufficient_data",
            category="not_available",
            reason_zh="没有基准年及以后的观测值",
            reason_en="no observation from the base year on",
            **common,
        )
    (b_year, b_value), (l_year, l_value) = eligible[0], eligible[-1]
    common |= {
        "base_year": b_year,
        "base_value": b_value,
        "latest_year": l_year,
        "latest_value": l_value,
    }
    if _meets(l_value, target_value, better):
        return Projection(
            status="target_met",
            category="achieved",
            progress_made=1.0,
            reason_zh=f"{l_year}年{l_value:g}已达到目标{target_value:g}",
            reason_en=f"{l_value:g} in {l_year} already meets the target {target_value:g}",
            **common,
        )
    distance = target_value - b_value
    if len(eligible) < 2 or distance == 0:
        return Projection(
            status="insufficient_data",
            category="not_available",
            reason_zh="观测年份不足两个，或目标与基准值相同，无法预测",
            reason_en="fewer than two observed years, or the target equals the baseline",
            **common,
        )
    intercept, slope = weighted_trend(eligible)
    anticipated = intercept + slope * (target_year - b_year)
    apr = (anticipated - b_value) / distance
    made = (l_value - b_value) / distance
    category: Category
    status: ProgressStatus
    if apr >= ON_TRACK:
        status, category = "on_track", "substantial"
    elif apr >= MODERATE:
        status, category = "off_track", "moderate"
    elif apr >= LIMITED:
        status, category = "off_track", "limited"
    else:
        status, category = "off_track", "deterioration"
    return Projection(
        status=status,
        category=category,
        slope=slope,
        anticipated_value=anticipated,
        progress_made=made,
        anticipated_progress=apr,
        reason_zh=f"按时间加权线性回归，预计{target_year}年为{anticipated:.4g}（目标{target_value:g}），"
        f"预期完成进度{apr:.0%}",
        reason_en=f"time-weighted linear regression anticipates {anticipated:.4g} in {target_year} "
        f"(target {target_value:g}): {apr:.0%} of the distance",
        **common,
    )
