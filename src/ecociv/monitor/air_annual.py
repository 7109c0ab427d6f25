"""Annual air statistics per HJ 663-2013 (年评价) from a daily table, as Ibis expressions.

Input: the output of :func:`ecociv.monitor.air.daily` or :func:`~ecociv.monitor.air.city_daily`
(its first column, ``station_id`` or ``region_code``, is the grouping key).  Output, one row per
key and calendar year:

* ``<p>_annual_mean`` for SO2, NO2, PM10, PM2.5 (mean of the valid daily values);
* percentiles of the daily values, HJ 663-2013 Appendix A: ``so2_p98, no2_p98, pm10_p95,
  pm25_p95, co_p95, o3_8h_p90`` (O3: of the daily maximum 8-hour means);
* ``days_<p>`` (valid daily values) and ``valid_<p>``: the year is valid with ≥ 324 daily
  values and ≥ 27 in every month (≥ 25 in February), GB 3095-2012 Table 4;
* ``good_days, aqi_days, good_day_ratio`` (优良天数比例, AQI ≤ 100 over days with an AQI, %);
* ``composite_index`` (环境空气质量综合指数, Σ C_i/S_i) and ``composite_primary``;
* ``compliant_<p>`` and ``compliant`` against GB 3095 (class 2 by default), null when the
  year is not valid;
* ``rules``.

Statistics are rounded per ``rules.statistics_rounding`` (GB/T 8170) before they are judged.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ecociv.monitor.air_expr import (
    MICRO,
    add_columns,
    div_half_even,
    from_micro,
    only_where,
    round_micro,
    to_micro,
)
from ecociv.monitor.air_options import DEFAULT_OPTIONS, AirOptions
from ecociv.monitor.compiled import reuse_compiled
from ecociv.monitor.rules import AirRules

#: The daily series each annual statistic is taken from.
DAILY_SERIES = {
    "so2": "so2_24h",
    "no2": "no2_24h",
    "pm10": "pm10_24h",
    "pm25": "pm25_24h",
    "co": "co_24h",
    "o3": "o3_8h_max",
}
MEAN_POLLUTANTS = ("so2", "no2", "pm10", "pm25")
LABELS = {"so2": "SO2", "no2": "NO2", "pm10": "PM10", "pm25": "PM2.5", "co": "CO", "o3": "O3"}


def percentile_column(pollutant: str, rules: AirRules) -> str:
    """Name of the percentile column, e.g. ``pm25_p95`` or ``o3_8h_p90``."""
    prefix = "o3_8h" if pollutant == "o3" else pollutant
    return f"{prefix}_p{rules.annual.percentiles[pollutant]}"


def _yearly(d: ir.Table, key: str, rules: AirRules) -> ir.Table:
    """One aggregation per key and year: sums and counts, each series' valid values as a
    sorted array (for the order statistics of its percentile), the valid values per month and
    the AQI day counts.  Sorting a station-year's ≤ 366 values inside the grouping replaces a
    window ranking of the whole daily table per pollutant (six sorts of every row)."""
    aggs: dict[str, ir.Value] = {}
    for p in DAILY_SERIES:
        value = d[f"v_{p}"]
        aggs[f"total_{p}"] = value.sum()
        aggs[f"days_{p}"] = value.count()
        aggs[f"sorted_{p}"] = value.collect().sort()
        for month in range(1, 13):
            aggs[f"m{month}_{p}"] = only_where(value, d.month == month).count()
    good = rules.annual.good_day_max_aqi
    aggs["good_days"] = (d.aqi <= good).cast("int64").sum().fill_null(0)
    aggs["aqi_days"] = d.aqi.count()
    return d.group_by([key, "year"]).aggregate(**aggs)


def _order_statistics(t: ir.Table, rules: AirRules) -> ir.Table:
    """The two order statistics around each percentile and the interpolation remainder:
    with n valid values, s0 = ⌊(n − 1)·p/100⌋ (0-based X(s)), ``lo_<p>`` = X(s), ``hi_<p>`` =
    X(s+1) (null past the end) and ``frac_<p>`` = (n − 1)·p mod 100; null when n = 0.  The
    position is never negative, so no engine reads an array from its end."""
    stats: dict[str, ir.Value] = {}
    for p in DAILY_SERIES:
        ordered = t[f"sorted_{p}"]
        scaled = (ibis.greatest(t[f"days_{p}"], 1) - 1) * rules.annual.percentiles[p]
        s0 = scaled // 100
        at = s0.cast("int32")  # Spark's element_at takes a 32-bit position
        stats[f"lo_{p}"] = ordered[at]
        stats[f"hi_{p}"] = ordered[at + 1]
        stats[f"frac_{p}"] = scaled - s0 * 100
    return t.mutate(**stats).drop(*(f"sorted_{p}" for p in DAILY_SERIES))


def _limit(rules: AirRules, name: str, year: ir.IntegerValue, options: AirOptions) -> ir.Value:
    """The GB 3095 limit *name* of the zone class in force in *year*, in micro-units."""
    branches = []
    for stage in rules.limits:
        first = stage.from_.year if stage.from_ else 0
        last = stage.until.year if stage.until else 9999
        value = int(stage.limits(options.zone_class)[name] * MICRO)
        branches.append((year.between(first, last), value))
    fallback = int(rules.limits[0].limits(options.zone_class)[name] * MICRO)
    return ibis.cases(*branches, else_=fallback)


@reuse_compiled
def annual(daily_t: ir.Table, rules: AirRules, options: AirOptions | None = None) -> ir.Table:
    """Annual statistics per HJ 663-2013 (see the module docstring for the columns).

    Percentile (HJ 663-2013 Appendix A): with the n valid values sorted ascending
    X(1) ≤ … ≤ X(n), k = 1 + (n − 1)·p/100, s = ⌊k⌋, m_p = X(s) + (X(s+1) − X(s))·(k − s).
    With integer p, k − s = ((n−1)·p mod 100)/100, so the interpolation is exact in
    micro-units (half-even to a micro-unit).  The daily table is read once (one chain of
    projections), which keeps the plan small on engines that inline shared subqueries."""
    options = options or DEFAULT_OPTIONS
    key = daily_t.columns[0]
    d = daily_t.select(
        daily_t[key],
        daily_t.aqi,
        year=daily_t.date.year(),
        month=daily_t.date.month(),
        **{f"v_{p}": to_micro(daily_t[col]) for p, col in DAILY_SERIES.items()},
    )
    t = _order_statistics(_yearly(d, key, rules), rules)
    v = rules.validity
    decimals = rules.statistics_rounding.decimals or {}

    def rounded(value: ir.IntegerValue, p: str) -> ir.IntegerValue:
        return round_micro(value, decimals[p]) if p in decimals else value

    # One projection a step, each reading the previous step's columns by name: a nested
    # half-even division would repeat its operand's whole expression in the SQL.
    t = t.mutate(
        **{
            f"scaled_{p}": t[f"lo_{p}"] * 100
            + (t[f"hi_{p}"].fill_null(t[f"lo_{p}"]) - t[f"lo_{p}"]) * t[f"frac_{p}"]
            for p in DAILY_SERIES
        }
    )
    t = t.mutate(
        **{f"pct_{p}": div_half_even(t[f"scaled_{p}"], 100) for p in DAILY_SERIES},
        **{f"mean_{p}": div_half_even(t[f"total_{p}"], t[f"days_{p}"]) for p in MEAN_POLLUTANTS},
    )
    stats: dict[str, ir.Value] = {}
    for p in DAILY_SERIES:
        stats[percentile_column(p, rules)] = rounded(t[f"pct_{p}"], p)
        if p in MEAN_POLLUTANTS:
            stats[f"{p}_annual_mean"] = ibis.ifelse(
                t[f"days_{p}"] > 0, rounded(t[f"mean_{p}"], p), ibis.null("int64")
            )
        months_ok = add_columns(
            (t[f"m{m}_{p}"] >= (v.february_min_days if m == 2 else v.monthly_min_days)).cast(
                "int64"
            )
            for m in range(1, 13)
        )
        stats[f"valid_{p}"] = (t[f"days_{p}"] >= v.annual_min_days) & (months_ok == 12)
    # Only what the later steps read goes on (a shorter query to build and compile).
    t = t.select(
        t[key],
        t.year,
        t.good_days,
        t.aqi_days,
        *(t[f"days_{p}"] for p in DAILY_SERIES),
        **stats,
    )

    terms = rules.annual.composite_index.terms
    micro = {
        p: t[f"{p}_annual_mean"]
        if term.statistic == "annual_mean"
        else t[percentile_column(p, rules)]
        for p, term in terms.items()
    }
    t = t.mutate(
        **{
            f"index_{p}": micro[p].cast("float64")
            / _limit(rules, term.limit, t.year, options).cast("float64")
            for p, term in terms.items()
        }
    )
    index_terms = {p: t[f"index_{p}"] for p in terms}
    top_term = ibis.greatest(*index_terms.values())
    composite_primary = ibis.cases(
        *((index_terms[p] == top_term, LABELS[p]) for p in terms), else_=ibis.null("string")
    )

    compliant: dict[str, ir.Value] = {}
    for p in DAILY_SERIES:
        short = "o3_8h" if p == "o3" else f"{p}_24h"
        pct_ok = t[percentile_column(p, rules)] <= _limit(rules, short, t.year, options)
        if p in MEAN_POLLUTANTS:
            mean_ok = t[f"{p}_annual_mean"] <= _limit(rules, f"{p}_annual", t.year, options)
            both = options.annual_compliance == "mean_and_percentile"
            ok = mean_ok & pct_ok if both else mean_ok
        else:
            ok = pct_ok
        compliant[f"compliant_{p}"] = ibis.ifelse(t[f"valid_{p}"], ok, ibis.null("boolean"))
    t = t.mutate(**compliant)
    flags = [t[f"compliant_{p}"] for p in DAILY_SERIES]
    any_false = ibis.or_(*((~c).fill_null(False) for c in flags))
    all_true = ibis.and_(*(c.fill_null(False) for c in flags))
    overall = ibis.cases((any_false, False), (all_true, True), else_=ibis.null("boolean"))

    return t.select(
        t[key],
        t.year,
        **{f"{p}_annual_mean": from_micro(t[f"{p}_annual_mean"]) for p in MEAN_POLLUTANTS},
        **{
            percentile_column(p, rules): from_micro(t[percentile_column(p, rules)])
            for p in DAILY_SERIES
        },
        **{f"days_{p}": t[f"days_{p}"] for p in DAILY_SERIES},
        **{f"valid_{p}": t[f"valid_{p}"] for p in DAILY_SERIES},
        good_days=t.good_days,
        aqi_days=t.aqi_days,
        good_day_ratio=ibis.ifelse(
            t.aqi_days > 0, t.good_days.cast("float64") * 100 / t.aqi_days, ibis.null("float64")
        ),
        composite_index=add_columns(index_terms.values()),
        composite_primary=composite_primary,
        **{f"compliant_{p}": t[f"compliant_{p}"] for p in DAILY_SERIES},
        compliant=overall,
        rules=ibis.literal(rules.id),
    )
