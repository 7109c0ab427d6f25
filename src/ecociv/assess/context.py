"""What a verdict needs besides the requirement and the value: the assessment context."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

from ecociv.expr.ast import Expr

_EMPTY: Mapping = MappingProxyType({})

#: The default stability tolerance of 保持稳定: a relative change within ±1 % is "stable".
STABILITY_TOLERANCE = 0.01


@dataclass(slots=True)
class Context:
    """The facts a requirement is judged with (all optional; what is lacking is named).

    A context is a value: the engine never changes one; derive another with
    :meth:`at_year`, :meth:`without_quota`, :meth:`with_direction_of` or
    ``dataclasses.replace``.  (It is not a frozen dataclass only because a frozen one is
    five times slower to build, and a bulk assessment builds one per region and year.)

    * ``better`` — the indicator's better side (``ecociv.assess.direction``); ``share`` marks
      a 0–100 % proportion (its bound is then known); ``unit`` the indicator's unit.
    * ``classes`` — region classes by dimension: ``{"level": "县", "terrain": "平原地区",
      "city_size": "大城市"}``; ``coastal`` whether the region has a coastline.
    * ``year`` the year judged, ``base_year`` the plan's base year, ``series`` the values
      by year (the judged year's value may be in it or passed as the value).
    * ``quota`` the target assigned from above (上级下达) for this indicator and year, as a
      number or a requirement expression; ``references`` named reference values, e.g.
      ``{"全省平均值": 85.2, "全省平均值:increase": 1.4}`` (``docs/verdicts.md``).
    * ``items`` per-item contexts for ①②③ items, keyed by item label.
    """

    indicator: str | None = None
    better: Literal["higher", "lower"] | None = None
    share: bool = False
    unit: str | None = None
    classes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    coastal: bool | None = None
    year: int | None = None
    base_year: int | None = None
    series: Mapping[int, float] = field(default_factory=lambda: _EMPTY)
    quota: Expr | float | None = None
    references: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    stability_tolerance: float = STABILITY_TOLERANCE
    items: Mapping[str, Context] = field(default_factory=lambda: _EMPTY)
    _points: tuple[tuple[int, float], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _to_year: tuple[tuple[int, float], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def points(self) -> tuple[tuple[int, float], ...]:
        """The series as year-ordered ``(year, value)`` pairs, sorted once per context."""
        if self._points is None:
            self._points = tuple(sorted(self.series.items()))
        return self._points

    def points_to_year(self) -> tuple[tuple[int, float], ...]:
        """The sorted points up to the judged year (all of them when no year is set), cut once
        per context: the parts of a composite requirement ask for them one after another."""
        if self._to_year is None:
            points = self.points()
            if self.year is not None:
                points = points[: bisect_right(points, (self.year, math.inf))]
            self._to_year = points
        return self._to_year

    def at_year(self, year: int) -> Context:
        """This context for another *year* (a direct constructor call: cheaper than
        ``dataclasses.replace`` in the inner loop of a bulk assessment).

        The series is the same, so it is sorted once here and the sorted points are shared
        by every year derived from this context."""
        derived = Context(
            self.indicator,
            self.better,
            self.share,
            self.unit,
            self.classes,
            self.coastal,
            year,
            self.base_year,
            self.series,
            self.quota,
            self.references,
            self.stability_tolerance,
            self.items,
        )
        derived._points = self.points()
        return derived

    def without_quota(self) -> Context:
        """This context once its quota has been applied (so it is not applied twice); it
        shares the sorted points, as :meth:`at_year` does."""
        derived = Context(
            self.indicator,
            self.better,
            self.share,
            self.unit,
            self.classes,
            self.coastal,
            self.year,
            self.base_year,
            self.series,
            None,
            self.references,
            self.stability_tolerance,
            self.items,
        )
        derived._points = self._points
        derived._to_year = self._to_year
        return derived

    def for_item(self, label: str) -> Context:
        """The context of item *label* (its own if given, else this one without a quota)."""
        own = self.items.get(label)
        if own is not None:
            return own
        return self.without_quota() if self.quota is not None else self

    def with_direction_of(self, name: str) -> Context:
        """This context with ``better``/``share`` inferred from the indicator *name*."""
        from ecociv.assess.direction import infer_direction

        found = infer_direction(name)
        return replace(self, indicator=name, better=found.better, share=found.share)
