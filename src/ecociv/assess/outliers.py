"""Outliers (异常值) of a yearly value against the indicator's own history.

Two robust rules, their thresholds in ``data/outliers.yaml`` with the reasons for them:

* **ratio to the previous value**: ``x / previous`` above ``previous_year_ratio`` or under
  its inverse (same sign, neither zero);
* **modified z-score** (Iglewicz & Hoaglin 1993, §3.2): with at least
  ``modified_z_min_points`` earlier values, ``M = 0.6745 (x − median) / MAD`` with
  ``|M| > modified_z_threshold`` and ``|x − median| > modified_z_min_relative · |median|``.

A value is an outlier when either rule fires.  The functions are pure; the store decides what
to do with a finding (ask the editor for a confirmation with a reason).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

MAD_TO_SIGMA = 0.6745
"""Φ⁻¹(0.75): makes ``MAD / 0.6745`` estimate σ for normal data (Iglewicz & Hoaglin §3.2)."""


class OutlierRule(BaseModel):
    """The thresholds of ``data/outliers.yaml`` (validated when loaded)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    history_years: int = Field(ge=1)
    previous_year_ratio: float = Field(gt=1)
    modified_z_threshold: float = Field(gt=0)
    modified_z_min_points: int = Field(ge=3)
    modified_z_min_relative: float = Field(ge=0)


@dataclass(frozen=True)
class Outlier:
    """Why a value is an outlier: which rule, the reference and the measure computed."""

    rule: str
    """``previous_year`` or ``modified_z``."""
    reference: float
    """The previous value (ratio rule) or the median (z rule)."""
    reference_year: int | None
    measure: float
    """The ratio ``x / previous`` or the modified z-score."""


@cache
def outlier_rule() -> OutlierRule:
    """The packaged rule, loaded and validated once."""
    text = resources.files("ecociv.assess").joinpath("data/outliers.yaml").read_text("utf-8")
    return OutlierRule.model_validate(yaml.safe_load(text))


def find_outlier(
    value: float,
    history: Sequence[tuple[int, float]],
    rule: OutlierRule | None = None,
) -> Outlier | None:
    """The first rule *value* breaks against *history* ((year, value) pairs of earlier years,
    any order), or ``None``.  Years older than ``history_years`` before the latest are ignored."""
    rule = rule or outlier_rule()
    if not history:
        return None
    ordered = sorted(history)
    latest_year = ordered[-1][0]
    recent = [(year, v) for year, v in ordered if year > latest_year - rule.history_years]
    previous_year, previous = recent[-1]
    if previous != 0 and value != 0 and (previous > 0) == (value > 0):
        ratio = value / previous
        if ratio > rule.previous_year_ratio or ratio < 1 / rule.previous_year_ratio:
            return Outlier("previous_year", previous, previous_year, ratio)
    values = [v for _, v in recent]
    if len(values) < rule.modified_z_min_points:
        return None
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    deviation = abs(value - median)
    if deviation <= rule.modified_z_min_relative * abs(median):
        return None
    if mad == 0:
        return Outlier("modified_z", median, None, float("inf")) if deviation > 0 else None
    score = MAD_TO_SIGMA * (value - median) / mad
    if abs(score) > rule.modified_z_threshold:
        return Outlier("modified_z", median, None, score)
    return None
