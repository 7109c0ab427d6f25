"""Recompute what a monitoring network published and explain every disagreement
(``ecociv monitor check``; 发布值复核).

The hourly values of a network file (:mod:`ecociv.monitor.layouts`) go through the real-time
report (:func:`ecociv.monitor.air.hourly_aqi`, published practice by default) and the moving
means; each published value is compared with ours.  A disagreement is put in one class:

* ``theirs``: the network departs from the standard, and the clause says how
  (e.g. HJ 633-2012 表1 注(2) for SO2 above 800, an AQI of 0 for an hour without data);
* ``unreproducible``: the published value depends on what the file does not hold: a window
  that starts before the file's first hour, hours missing from it, or the network's unrounded
  hourly values (a mean within the rounding of the published hours of ours);
* ``ours``: none of the above explains it; ecociv must look at it.

An IAQI (or the AQI) whose concentration disagreed takes that concentration's class.

Networks differ in the O3 8-hour window (natural day or trailing across midnight): unless the
options fix it, the check detects it from the published values (the window that reproduces
more of them) and says so in ``conventions``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from ecociv.monitor import air, backends
from ecociv.monitor.air_options import AirOptions, O3MovingWindow, practice_of
from ecociv.monitor.compute import AirRequest, execute_air, rule_sets
from ecociv.monitor.iaqi import iaqi
from ecociv.monitor.layouts import NetworkData
from ecociv.monitor.rules import AirRules, pollutant_of

CLASSES = ("ours", "theirs", "unreproducible")
#: 1-hour IAQI items and the pollutant and breakpoint table of their value.
_HOURLY_IAQI = {
    "iaqi_so2": ("so2", "1h"),
    "iaqi_no2": ("no2", "1h"),
    "iaqi_co": ("co", "1h"),
    "iaqi_o3_1h": ("o3", "1h"),
    "iaqi_pm10": ("pm10", "24h"),
    "iaqi_pm25": ("pm25", "24h"),
}
#: IAQI items of a published moving mean: the mean's item and its breakpoint table.
_MEAN_IAQI = {
    "iaqi_o3_8h": ("o3_8h_moving", "8h"),
    "iaqi_pm10_24h": ("pm10_24h_moving", "24h"),
    "iaqi_pm25_24h": ("pm25_24h_moving", "24h"),
}
_SAME = 1e-6
_SO2_ABOVE_800 = (
    "SO2 1-hour {value:g} > 800: the network indexed it on the 24-hour table ({iaqi}); "
    "HJ 633-2012 表1 注(2) reports the IAQI of the 24-hour mean (HJ 633-2026 表3 注b: 200)"
)


@dataclass(frozen=True)
class CheckResult:
    """``summary``: per item, values compared and agreeing, and the disagreements per class;
    ``disagreements``: ``station_id, time, item, published, recomputed, class, reason``."""

    summary: pd.DataFrame
    disagreements: pd.DataFrame
    rules: list[AirRules]
    conventions: dict[str, str]

    @property
    def unexplained(self) -> int:
        return int((self.disagreements["class"] == "ours").sum())


def check(
    con: BaseBackend, data: NetworkData, rules: str = "auto", options: AirOptions | None = None
) -> CheckResult:
    """Recompute every value *data* published, on *con*, and classify the disagreements."""
    options = options or AirOptions()
    table = data.loaded.table
    published = data.published.to_pandas()
    times = table.column("time")
    chosen = rule_sets(pa.compute.min(times).as_py(), pa.compute.max(times).as_py(), rules)
    hourly = backends.table(con, "ecociv_check_hourly", table)
    conventions: dict[str, str] = {}
    if options.o3_8h_moving_window is None:
        window, conventions["o3_8h_window"] = _o3_window(con, hourly, published, chosen, options)
        options = dataclasses.replace(options, o3_8h_moving_window=window)
    request = AirRequest(period="hour", rules=rules, options=options)
    ours = execute_air(con, hourly, request, chosen).to_pandas()
    extra = tuple(
        i for i in published["item"].unique() if i.endswith("_moving") and i not in ours.columns
    )
    if extra:
        means = con.to_pyarrow(air.moving_means(hourly, extra, chosen[-1], options)).to_pandas()
        ours = ours.merge(means, on=["station_id", "time"], how="left")
    items = [i for i in published["item"].unique() if i in ours.columns]
    mine = ours.melt(id_vars=["station_id", "time"], value_vars=items, var_name="item")
    both = published.merge(
        mine, on=["station_id", "time", "item"], how="left", suffixes=("_published", "")
    )
    both = both.rename(columns={"value_published": "published", "value": "recomputed"})
    both["agree"] = (both.published - both.recomputed.astype(float)).abs() < _SAME
    explain = _Explainer(
        table.to_pandas(), both, chosen[-1], options.o3_8h_moving_window or "natural_day"
    )
    wrong = both[~both.agree].copy()
    wrong = wrong.sort_values("item", key=lambda s: s.map(_stage)).reset_index(drop=True)
    found = [explain.why(row) for row in wrong.itertuples(index=False)]
    wrong["class"] = [c for c, _ in found]
    wrong["reason"] = [r for _, r in found]
    return CheckResult(_summary(both, wrong), wrong.drop(columns="agree"), chosen, conventions)


def _o3_window(con, hourly, published: pd.DataFrame, chosen, options) -> tuple[O3MovingWindow, str]:
    """The O3 8-hour window that reproduces more published values, and the sentence saying so.

    Only the hours where the two readings differ (01:00–07:00) and whose 8 trailing hours are
    all inside the file can tell them apart."""
    theirs = published[published.item == "o3_8h_moving"]
    first = theirs.groupby("station_id")["time"].transform("min")
    theirs = theirs[
        theirs.time.dt.hour.between(1, 7) & (theirs.time - pd.Timedelta(hours=7) >= first)
    ]
    default = practice_of(chosen[-1], options).o3_8h_moving_window
    if theirs.empty:
        return default, f"{default} (the practice's; no published 8-hour mean tells them apart)"
    hits: dict[O3MovingWindow, int] = {}
    windows: tuple[O3MovingWindow, ...] = ("natural_day", "trailing")
    for window in windows:
        chosen_options = dataclasses.replace(options, o3_8h_moving_window=window)
        ours = con.to_pyarrow(
            air.moving_means(hourly, ("o3_8h_moving",), chosen[-1], chosen_options)
        ).to_pandas()
        both = theirs.merge(ours, on=["station_id", "time"])
        hits[window] = int(((both.value - both.o3_8h_moving).abs() < _SAME).sum())
    best = max(hits, key=lambda w: (hits[w], w == default))
    counts = ", ".join(f"{w} {n}" for w, n in hits.items())
    return best, (
        f"{best}, detected on the {len(theirs)} published 8-hour means at 01:00–07:00 whose "
        f"trailing window is inside the file (reproduced: {counts})"
    )


def _stage(item: str) -> int:
    """Concentrations first, then their IAQIs, then the AQI (each may follow from the last)."""
    if item.endswith("_moving"):
        return 0
    return 3 if item == "aqi" else 1 + (item in _MEAN_IAQI)


def _half_step(values: list[float]) -> float:
    """Half the last published decimal of *values* (0.5 for integers, 0.05 for tenths …)."""
    for decimals in range(4):
        if all(math.isclose(v, round(v, decimals), abs_tol=1e-9) for v in values):
            return 0.5 * 10.0**-decimals
    return 0.0


def _summary(both: pd.DataFrame, wrong: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for item, group in both.groupby("item", sort=True):
        classes = wrong[wrong.item == item]["class"].value_counts()
        rows.append(
            {
                "item": item,
                "compared": len(group),
                "agree": int(group.agree.sum()),
                "share": round(100 * group.agree.mean(), 2),
                **{c: int(classes.get(c, 0)) for c in CLASSES},
            }
        )
    return pd.DataFrame(rows, columns=["item", "compared", "agree", "share", *CLASSES])


class _Explainer:
    """The class and reason of one disagreement, from the hours the file holds."""

    def __init__(self, hours: pd.DataFrame, both: pd.DataFrame, rules: AirRules, o3_window: str):
        self.rules = rules
        self.natural_day = o3_window == "natural_day"
        self.found: dict[tuple, tuple[str, str]] = {}
        self.first = hours.groupby("station_id")["time"].min().to_dict()
        self.values = hours.set_index(["station_id", "time"]).sort_index()
        self.cells = both.set_index(["station_id", "time", "item"])

    def value(self, station: str, time: dt.datetime, pollutant: str) -> float | None:
        try:
            v = self.values.at[(station, time), pollutant]
        except KeyError:
            return None
        return None if pd.isna(v) else float(v)

    def why(self, row) -> tuple[str, str]:
        found = self._why(row)
        self.found[(row.station_id, row.time, row.item)] = found
        return found

    def _why(self, row) -> tuple[str, str]:
        item = row.item
        if item.endswith("_moving"):
            return self._moving(row.station_id, row.time, item, row.published)
        if item in _HOURLY_IAQI:
            return self._hourly_iaqi(row, *_HOURLY_IAQI[item])
        if item in _MEAN_IAQI:
            return self._mean_iaqi(row, *_MEAN_IAQI[item])
        if item == "aqi":
            return self._aqi(row)
        return "ours", "no rule explains it"

    def _window(self, time: dt.datetime, item: str, natural_day: bool) -> list[dt.datetime]:
        hours = 8 if item == "o3_8h_moving" else 24
        stamps = [time - dt.timedelta(hours=k) for k in range(hours)]
        if natural_day:
            day = (time - dt.timedelta(hours=1)).date()
            stamps = [s for s in stamps if (s - dt.timedelta(hours=1)).date() == day]
        return stamps

    def _moving(
        self, station: str, time: dt.datetime, item: str, published: float
    ) -> tuple[str, str]:
        ours_natural = item == "o3_8h_moving" and self.natural_day
        stamps = self._window(time, item, ours_natural)
        if min(stamps) < self.first[station]:
            return (
                "unreproducible",
                f"the window {min(stamps):%Y-%m-%d %H:%M}–{time:%H:%M} starts before the "
                f"file's first hour ({self.first[station]:%Y-%m-%d %H:%M})",
            )
        hours = self._hours(station, stamps, item)
        missing = sum(v is None for v in hours)
        values = [v for v in hours if v is not None]
        if missing:
            return (
                "unreproducible",
                f"{missing} of the {len(stamps)} hours of the window are missing from the file; "
                "the network averaged values it did not publish",
            )
        mean = sum(values) / len(values)
        if self._within_rounding(published, values):
            return (
                "unreproducible",
                f"the mean of the published hours is {mean:.4g}; the network averages its "
                f"unrounded hourly values, which can move the mean by ±{_half_step(values):g}",
            )
        other = self._hours(station, self._window(time, item, not ours_natural), item)
        known = [v for v in other if v is not None]
        if len(known) == len(other) and self._within_rounding(published, known):
            reading = "trailing" if ours_natural else "natural-day"
            return "ours", f"the {reading} window reproduces it (our mean {mean:.4g})"
        return (
            "theirs",
            f"the published value is not the mean of the published hours of its window under "
            f"either reading ({mean:.4g}); real-time values are provisional "
            "(HJ 633-2012 §5.1.5) and may have been computed before a revision",
        )

    def _hours(self, station: str, stamps: list[dt.datetime], item: str) -> list[float | None]:
        return [self.value(station, s, pollutant_of(item)) for s in stamps]

    @staticmethod
    def _within_rounding(published: float, values: list[float]) -> bool:
        """Whether *published* can be the rounded mean of unrounded values that publish as
        *values* (each within half its last decimal)."""
        mean = sum(values) / len(values)
        return abs(published - mean) <= _half_step(values) + _half_step([published]) + _SAME

    def _hourly_iaqi(self, row, pollutant: str, period: str) -> tuple[str, str]:
        value = self.value(row.station_id, row.time, pollutant)
        if value is None:
            return "unreproducible", f"the network indexed a {pollutant} value it did not publish"
        if pollutant == "so2" and value > 800:
            as_daily = iaqi("so2", "24h", value, self.rules)
            if as_daily == row.published:
                return "theirs", _SO2_ABOVE_800.format(value=value, iaqi=as_daily)
            return "unreproducible", "SO2 1-hour above 800 and the 24-hour mean is not known"
        return "ours", f"the IAQI of {value:g} on the {pollutant} {period} table differs"

    def _mean_iaqi(self, row, mean_item: str, period: str) -> tuple[str, str]:
        key = (row.station_id, row.time, mean_item)
        if key not in self.cells.index:
            return "unreproducible", f"the network did not publish the {mean_item} it indexed"
        theirs = self.cells.loc[key]
        pollutant = pollutant_of(mean_item)
        if iaqi(pollutant, period, float(theirs.published), self.rules) != row.published:
            return "ours", f"the IAQI of the published {mean_item} differs"
        if theirs.agree:
            return "ours", f"the {mean_item} agrees but its IAQI does not"
        kind, reason = self.found[key]
        return kind, f"follows from the {mean_item}: {reason}"

    def _aqi(self, row) -> tuple[str, str]:
        present = [self.value(row.station_id, row.time, p) for p, _ in _HOURLY_IAQI.values()]
        if all(v is None for v in present):
            return (
                "theirs",
                f"AQI {row.published:g} published for an hour without any measured pollutant; "
                "HJ 633-2012 表4 注 / HJ 633-2026 §5.3 mark it NA",
            )
        for item in _HOURLY_IAQI:
            key = (row.station_id, row.time, item)
            if key in self.found:
                kind, reason = self.found[key]
                return kind, f"follows from {item}: {reason}"
        so2 = self.value(row.station_id, row.time, "so2")
        if so2 is not None and so2 > 800:
            as_daily = iaqi("so2", "24h", so2, self.rules)
            others = [
                iaqi(p, period, v, self.rules)
                for p, period in _HOURLY_IAQI.values()
                if p != "so2" and (v := self.value(row.station_id, row.time, p)) is not None
            ]
            highest = max((o for o in others if o is not None), default=0)
            if as_daily is not None and as_daily == row.published and as_daily >= highest:
                return "theirs", _SO2_ABOVE_800.format(value=so2, iaqi=as_daily)
            return "unreproducible", "SO2 1-hour above 800: the 24-hour mean is not known"
        return "ours", "every IAQI agrees or is not published, and the AQI differs"
