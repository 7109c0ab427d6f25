"""HJ 633 formulas as Ibis column expressions, exact in integer micro-units.

Every concentration inside the pipeline is an ``int64`` count of 10⁻⁶ µg/m³ (10⁻⁶ mg/m³ for
CO), the input precision of :data:`ecociv.monitor.iaqi.MICRO`.  Means, GB/T 8170 rounding and
formula (1) with its ceiling are integer arithmetic, so DuckDB and Spark agree to the last digit
and agree with the Decimal reference :func:`ecociv.monitor.iaqi.iaqi` (no float before a ceiling:
CO 2.2 mg/m³ gives 55).  Magnitudes stay far below 2⁵³, so engines that evaluate integer
division through doubles are still exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ibis
import ibis.expr.types as ir

from ecociv.monitor.rules import (
    AirRules,
    BreakpointTable,
    Practice,
    ReportName,
    is_average,
    pollutant_of,
)

#: Micro-units per unit of concentration.
MICRO = 1_000_000


def to_micro(value: ir.NumericValue) -> ir.IntegerValue:
    """A float concentration as integer micro-units; negative (invalid) values become null."""
    return ibis.ifelse(value >= 0, valid_micro(value), ibis.null("int64"))


def valid_micro(value: ir.NumericValue) -> ir.IntegerValue:
    """:func:`to_micro` of a value already known to be valid (non-negative or null), without
    testing it again (a daily grouping converts 30 such values a station-day)."""
    return (value * MICRO).round().cast("int64")


def from_micro(micro: ir.IntegerValue) -> ir.FloatingValue:
    """Integer micro-units back to a float concentration (the float nearest the decimal)."""
    return micro.cast("float64") / MICRO


def only_where(value: ir.Value, condition: ir.BooleanValue) -> ir.Value:
    """*value* where *condition* holds, else null.  An aggregate of it counts only those rows,
    like ``agg(where=condition)``, but compiles to ``agg(CASE WHEN …)``, which DuckDB runs
    several times faster than ``agg(…) FILTER (WHERE …)`` when a grouping has many of them."""
    return ibis.ifelse(condition, value, ibis.null(value.type()))


def add_columns(values: Iterable[ir.Value]) -> ir.Value:
    """The sum of column expressions (Python's ``sum`` would start from the literal 0)."""
    items = list(values)
    total = items[0]
    for x in items[1:]:
        total = total + x
    return total


def div_half_even(num: ir.IntegerValue, den: ir.IntegerValue | int) -> ir.IntegerValue:
    """``num / den`` rounded half to even (GB/T 8170), for ``num ≥ 0`` and ``den > 0``."""
    quotient = num // den
    twice_rest = (num - quotient * den) * 2
    up = (twice_rest > den) | ((twice_rest == den) & (quotient % 2 == 1))
    return ibis.ifelse(up, quotient + 1, quotient)


def mean_micro(total: ir.IntegerValue, count: ir.IntegerValue, min_count: int) -> ir.IntegerValue:
    """The mean of *count* values summing to *total*, or null when fewer than *min_count*
    values are valid (GB 3095-2012 Table 4); rounded half-even to a micro-unit."""
    return ibis.ifelse(count >= min_count, div_half_even(total, count), ibis.null("int64"))


def round_reported(micro: ir.IntegerValue, kind: str, rules: AirRules) -> ir.IntegerValue:
    """Round a concentration per the rule set before it is indexed (HJ 633-2026 §4.2.2:
    integers in µg/m³, CO to 0.1 mg/m³; HJ 633-2012: unchanged)."""
    decimals = rules.concentration_rounding.decimals
    return micro if decimals is None else round_micro(micro, decimals[pollutant_of(kind)])


def round_published(
    micro: ir.IntegerValue, kind: str, rules: AirRules, practice: Practice
) -> ir.IntegerValue:
    """The concentration a report publishes and indexes: an average (24-hour, 8-hour moving,
    daily maximum 8-hour, city mean) rounded per GB/T 8170 at the practice's precision
    (MONITORING.md §1.5), an hourly value as given; then the rule set's own rounding."""
    decimals = practice.average_decimals
    if decimals is not None and is_average(kind):
        micro = round_micro(micro, decimals[pollutant_of(kind)])
    return round_reported(micro, kind, rules)


def round_micro(micro: ir.IntegerValue, decimals: int) -> ir.IntegerValue:
    """Round micro-units half-even (GB/T 8170) to *decimals* places of the unit."""
    quantum = 10 ** (6 - decimals)
    return div_half_even(micro, quantum) * quantum


def _ceil_div(num: ir.IntegerValue, den: int) -> ir.IntegerValue:
    return (num + (den - 1)) // den


def iaqi_expr(
    micro: ir.IntegerValue,
    table: BreakpointTable,
    rules: AirRules,
    fallback: ir.IntegerValue | None = None,
) -> ir.IntegerValue:
    """IAQI of a micro-unit concentration: HJ 633-2012 formula (1), ceiling (§6.2), and the
    above-top rules of Table 1 notes 2–3 (2012) / Table 3 notes b–c (2026), exactly as
    :func:`ecociv.monitor.iaqi.iaqi`.  *fallback* is the (already rounded) concentration
    whose IAQI a 2012 >800 value reports."""
    levels = rules.iaqi_levels.values
    bps = [int(v * MICRO) for v in table.values]
    branches: list[tuple[ir.BooleanValue, ir.IntegerValue]] = [
        (micro.isnull() | (micro < 0), ibis.null("int64"))
    ]
    for i in range(len(bps) - 1):
        lo, hi, ilo, ihi = bps[i], bps[i + 1], levels[i], levels[i + 1]
        branches.append((micro <= hi, ilo + _ceil_div((micro - lo) * (ihi - ilo), hi - lo)))
    top = table.above_top
    above: ir.IntegerValue
    if top is None:
        above = ibis.literal(rules.beyond_table.iaqi, "int64")
    elif top.rule == "fixed":
        above = ibis.literal(top.iaqi, "int64")
    elif fallback is None:
        above = ibis.null("int64")
    else:
        above = iaqi_expr(fallback, rules.breakpoints[str(top.indicator)], rules)
    return ibis.cases(*branches, else_=above)


def report_iaqi_exprs(
    report: ReportName, concentrations: Mapping[str, ir.IntegerValue], rules: AirRules
) -> dict[str, ir.IntegerValue]:
    """The IAQI expression of every indicator of *report*, from rounded micro-unit columns."""
    out: dict[str, ir.IntegerValue] = {}
    for key, ind in rules.reports[report].indicators.items():
        fallback = concentrations[ind.fallback] if ind.fallback else None
        out[key] = iaqi_expr(
            concentrations[ind.concentration], rules.breakpoints[ind.table], rules, fallback
        )
    return out


def aqi_expr(iaqis: Mapping[str, ir.IntegerValue], rules: AirRules) -> ir.IntegerValue:
    """AQI = max IAQI (HJ 633-2012 formula (2)) with the completeness rule of the rule set
    (2012: the maximum of those present; HJ 633-2026 §5.3: NA unless above 100)."""
    values = list(iaqis.values())
    top = ibis.greatest(*values) if len(values) > 1 else values[0]
    rule = rules.completeness
    if rule.rule == "available":
        return top
    complete = ibis.and_(*(v.notnull() for v in values))
    return ibis.ifelse(complete | (top > rule.aqi_above), top, ibis.null("int64"))


def _labels_where(
    iaqis: Mapping[str, ir.IntegerValue],
    rules: AirRules,
    report: ReportName,
    keep: ir.BooleanValue,
    test,
) -> ir.StringValue:
    labels = rules.reports[report].indicators
    parts = [ibis.ifelse(test(v), labels[k].label, ibis.null("string")) for k, v in iaqis.items()]
    joined = ibis.literal(",").join(parts).nullif("")
    return ibis.ifelse(keep, joined, ibis.null("string"))


def primary_expr(
    iaqis: Mapping[str, ir.IntegerValue],
    aqi: ir.IntegerValue,
    rules: AirRules,
    report: ReportName,
) -> ir.StringValue:
    """首要污染物 labels joined by commas: AQI > 50 and IAQI = AQI, ties all listed
    (HJ 633-2012 §4.4.2); null when AQI ≤ 50 or not published."""
    keep = aqi > rules.primary_pollutant.aqi_above
    return _labels_where(iaqis, rules, report, keep.fill_null(False), lambda v: v == aqi)


def over_standard_expr(
    iaqis: Mapping[str, ir.IntegerValue], rules: AirRules, report: ReportName
) -> ir.StringValue:
    """超标污染物 (IAQI > 100, HJ 633-2012 §3.4); always null under HJ 633-2026."""
    above = rules.over_standard.iaqi_above
    if above is None:
        return ibis.null("string")
    return _labels_where(iaqis, rules, report, ibis.literal(True), lambda v: v > above)


def category_exprs(aqi: ir.IntegerValue, rules: AirRules) -> tuple[ir.StringValue, ir.StringValue]:
    """(类别, 级别) of the AQI per HJ 633-2012 Table 2; null when the AQI is null."""
    items = rules.categories.items
    name = ibis.cases(
        *((aqi <= c.max_aqi, c.name) for c in items if c.max_aqi is not None),
        else_=items[-1].name,
    )
    level = ibis.cases(
        *((aqi <= c.max_aqi, c.level) for c in items if c.max_aqi is not None),
        else_=items[-1].level,
    )
    nothing = ibis.null("string")
    return ibis.ifelse(aqi.isnull(), nothing, name), ibis.ifelse(aqi.isnull(), nothing, level)
