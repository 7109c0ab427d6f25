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

from ecociv.monitor.air_expr import MICRO, div_half_even, from_micro, round_micro, to_micro
from ecociv.monitor.air_expr import add_columns as _add
from ecociv.monitor.air_options import DEFAULT_OPTIONS, AirOptions
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


def _long(d: ir.Table, key: str) -> ir.Table:
    """One row per key, year, month, pollutant and valid daily value (micro-units)."""
    parts = [
        d.select(
            d[key],
            d.year,
            d.month,
            pollutant=ibis.literal(p),
            value=to_micro(d[col]),
        )
        for p, col in DAILY_SERIES.items()
    ]
    long = parts[0].union(*parts[1:])
    return long.filter(long.value.notnull())


def _percentile_stats(long: ir.Table, key: str, rules: AirRules) -> ir.Table:
    """Sum, count and the HJ 663-2013 Appendix A percentile per key, year and pollutant.

    With the n valid values sorted ascending X(1) ≤ … ≤ X(n): k = 1 + (n − 1)·p/100,
    s = ⌊k⌋, m_p = X(s) + (X(s+1) − X(s))·(k − s).  With integer p, k − s = ((n−1)·p mod 100)/100,
    so the interpolation is exact in micro-units (half-even to a micro-unit)."""
    groups = [key, "year", "pollutant"]
    pct = ibis.cases(*((long.pollutant == p, v) for p, v in rules.annual.percentiles.items()))
    ranked = long.mutate(
        rank=ibis.row_number().over(group_by=groups, order_by=long.value),
        n=long.value.count().over(group_by=groups),
        pct=pct,
    )
    scaled = (ranked.n - 1) * ranked.pct
    ranked = ranked.mutate(s0=scaled // 100, frac=scaled - (scaled // 100) * 100)
    stats = ranked.group_by(groups).aggregate(
        total=ranked.value.sum(),
        days=ranked.value.count(),
        x_lo=ranked.value.max(where=ranked["rank"] == ranked.s0),
        x_hi=ranked.value.max(where=ranked["rank"] == ranked.s0 + 1),
        frac=ranked.frac.max(),
    )
    x_hi = stats.x_hi.fill_null(stats.x_lo)
    return stats.mutate(
        percentile=div_half_even(stats.x_lo * 100 + (x_hi - stats.x_lo) * stats.frac, 100)
    )


def _month_rule(long: ir.Table, key: str, rules: AirRules) -> ir.Table:
    """Whether every month of the year has enough daily values (GB 3095-2012 Table 4)."""
    v = rules.validity
    months = long.group_by([key, "year", "pollutant", "month"]).aggregate(days=long.value.count())
    need = ibis.ifelse(months.month == 2, v.february_min_days, v.monthly_min_days)
    ok = (months.days >= need).cast("int64")
    months = months.mutate(ok=ok)
    return months.group_by([key, "year", "pollutant"]).aggregate(months_ok=months.ok.sum())


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


def annual(daily_t: ir.Table, rules: AirRules, options: AirOptions | None = None) -> ir.Table:
    """Annual statistics per HJ 663-2013 (see the module docstring for the columns)."""
    options = options or DEFAULT_OPTIONS
    key = daily_t.columns[0]
    d = daily_t.mutate(year=daily_t.date.year(), month=daily_t.date.month())
    long = _long(d, key)
    stats = _percentile_stats(long, key, rules).join(
        _month_rule(long, key, rules), [key, "year", "pollutant"]
    )
    v = rules.validity
    decimals = rules.statistics_rounding.decimals or {}

    def rounded(value: ir.IntegerValue, p: str) -> ir.IntegerValue:
        return round_micro(value, decimals[p]) if p in decimals else value

    wide_aggs: dict[str, ir.Value] = {}
    for p in DAILY_SERIES:
        mine = stats.pollutant == p
        if p in MEAN_POLLUTANTS:
            mean = div_half_even(stats.total, stats.days)
            wide_aggs[f"{p}_annual_mean"] = rounded(mean, p).max(where=mine)
        wide_aggs[percentile_column(p, rules)] = rounded(stats.percentile, p).max(where=mine)
        wide_aggs[f"days_{p}"] = stats.days.max(where=mine)
        year_ok = (stats.days >= v.annual_min_days) & (stats.months_ok == 12)
        wide_aggs[f"valid_{p}"] = year_ok.cast("int64").max(where=mine)
    wide = stats.group_by([key, "year"]).aggregate(**wide_aggs)

    good = rules.annual.good_day_max_aqi
    days = d.group_by([key, "year"]).aggregate(
        good_days=(d.aqi <= good).cast("int64").sum().fill_null(0),
        aqi_days=d.aqi.count(),
    )
    t = days.left_join(wide, [key, "year"]).drop(f"{key}_right", "year_right")

    micro: dict[str, ir.IntegerValue] = {}
    for p in DAILY_SERIES:
        col = f"{p}_annual_mean" if p in MEAN_POLLUTANTS else percentile_column(p, rules)
        micro[p] = t[col]
    terms = rules.annual.composite_index.terms
    index_terms = {
        p: micro[p].cast("float64") / _limit(rules, term.limit, t.year, options).cast("float64")
        for p, term in terms.items()
    }
    composite = _add(index_terms.values())
    top_term = ibis.greatest(*index_terms.values())
    composite_primary = ibis.cases(
        *((index_terms[p] == top_term, LABELS[p]) for p in terms), else_=ibis.null("string")
    )

    compliant: dict[str, ir.BooleanValue] = {}
    for p in DAILY_SERIES:
        pct_ok = t[percentile_column(p, rules)] <= _limit(
            rules, f"{p}_24h" if p != "o3" else "o3_8h", t.year, options
        )
        if p in MEAN_POLLUTANTS:
            mean_ok = t[f"{p}_annual_mean"] <= _limit(rules, f"{p}_annual", t.year, options)
            ok = mean_ok & pct_ok if options.annual_compliance == "mean_and_percentile" else mean_ok
        else:
            ok = pct_ok
        compliant[p] = ibis.ifelse(t[f"valid_{p}"] == 1, ok, ibis.null("boolean"))
    any_false = ibis.or_(*((c == False).fill_null(False) for c in compliant.values()))  # noqa: E712
    all_true = ibis.and_(*(c.fill_null(False) for c in compliant.values()))
    overall = ibis.cases((any_false, False), (all_true, True), else_=ibis.null("boolean"))

    return t.select(
        t[key],
        t.year,
        **{f"{p}_annual_mean": from_micro(t[f"{p}_annual_mean"]) for p in MEAN_POLLUTANTS},
        **{
            percentile_column(p, rules): from_micro(t[percentile_column(p, rules)])
            for p in DAILY_SERIES
        },
        **{f"days_{p}": t[f"days_{p}"].fill_null(0) for p in DAILY_SERIES},
        **{f"valid_{p}": (t[f"valid_{p}"] == 1).fill_null(False) for p in DAILY_SERIES},
        good_days=t.good_days,
        aqi_days=t.aqi_days,
        good_day_ratio=ibis.ifelse(
            t.aqi_days > 0, t.good_days.cast("float64") * 100 / t.aqi_days, ibis.null("float64")
        ),
        composite_index=composite,
        composite_primary=composite_primary,
        **{f"compliant_{p}": c for p, c in compliant.items()},
        compliant=overall,
        rules=ibis.literal(rules.id),
    )
