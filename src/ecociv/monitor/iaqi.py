"""Individual and overall air quality index (空气质量分指数 IAQI, 空气质量指数 AQI): scalar reference.

Exact decimal arithmetic throughout: a concentration is taken at its decimal value (a float by
its shortest repr, so ``2.2`` is 2.2, not 2.2000000000000002), quantized to the input precision
:data:`MICRO` (10⁻⁶ of its unit, far below any instrument), rounded per the rule set
(HJ 633-2026 §4.2.2), and formula (1) is evaluated as a fraction before the ceiling of
HJ 633-2012 §6.2 / HJ 633-2026 §4.2.6.  CO 2.2 mg/m³ therefore gives IAQI 55, not 56.

The Ibis expressions of :mod:`ecociv.monitor.air_expr` compute the same numbers in integer
micro-units; ``tests/monitor/test_air_iaqi.py`` proves the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from ecociv.errors import InputError
from ecociv.monitor.rules import AirRules, Category, ReportName, load_rules

#: Input precision: concentrations are quantized to 10⁻⁶ µg/m³ (mg/m³ for CO), GB/T 8170.
MICRO = Decimal("0.000001")

Number = Decimal | int | float | str


def to_decimal(value: Number) -> Decimal:
    """A concentration as an exact decimal at the input precision :data:`MICRO` (GB/T 8170)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        dec = Decimal(value)
    except ArithmeticError:
        dec = Decimal("NaN")
    if not dec.is_finite():
        raise InputError(
            f"浓度值 {value!r} 不是有限数", f"concentration {value!r} is not a finite number"
        )
    return dec.quantize(MICRO, rounding=ROUND_HALF_EVEN)


def round_half_even(value: Decimal, decimals: int) -> Decimal:
    """Round per GB/T 8170 (四舍六入五成双) to *decimals* places."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def reported_concentration(pollutant: str, value: Number, rules: AirRules) -> Decimal:
    """The concentration that enters formula (1): rounded per HJ 633-2026 §4.2.2 when the rule
    set says so (integers in µg/m³, CO to 0.1 mg/m³); HJ 633-2012 uses the raw value."""
    dec = to_decimal(value)
    decimals = rules.concentration_rounding.decimals
    return dec if decimals is None else round_half_even(dec, decimals[pollutant])


def iaqi(
    pollutant: str,
    period: str,
    concentration: Number | None,
    rules: AirRules,
    *,
    fallback: Number | None = None,
) -> int | None:
    """Individual air quality index of one pollutant over one averaging period.

    Formula (1) of HJ 633-2012 §4.2 (HJ 633-2026 §4.2.5)::

        IAQI_P = (IAQI_Hi − IAQI_Lo) / (BP_Hi − BP_Lo) · (C_P − BP_Lo) + IAQI_Lo

    rounded up to an integer (HJ 633-2012 §6.2).  Above the top of a shortened column:

    * SO2 1 h > 800 µg/m³: 2012, the IAQI of the SO2 24-hour mean given as *fallback*
      (Table 1 note 2); 2026, IAQI 200 (Table 3 note b).
    * O3 8 h > 800 µg/m³: 2012, the IAQI of the O3 1-hour value given as *fallback*
      (Table 1 note 3); 2026, IAQI 300 (Table 3 note c).
    * any other column: ``rules.beyond_table.iaqi`` (500; the standard is silent).

    Parameters
    ----------
    pollutant : ``so2``, ``no2``, ``pm10``, ``pm25``, ``co`` or ``o3``
    period : ``1h``, ``8h`` or ``24h``
    concentration : [µg/m³], CO [mg/m³]; ``None`` (missing) gives ``None``
    rules : the rule set (:func:`ecociv.monitor.rules.load_rules`)
    fallback : the concentration of the fallback column (2012 >800 rules only)

    Returns
    -------
    The IAQI, or ``None`` when the value is missing, negative (invalid), or a 2012 fallback
    is needed and not given.
    """
    table = rules.table(pollutant, period)
    if concentration is None:
        return None
    c = reported_concentration(pollutant, concentration, rules)
    if c < 0:
        return None
    levels = rules.iaqi_levels.values
    bps = table.values
    for i in range(len(bps) - 1):
        if c <= bps[i + 1]:
            lo, hi, ilo, ihi = bps[i], bps[i + 1], levels[i], levels[i + 1]
            return ilo + math.ceil(Fraction(ihi - ilo) * Fraction(c - lo) / Fraction(hi - lo))
    top = table.above_top
    if top is None:
        return rules.beyond_table.iaqi
    if top.rule == "fixed":
        return top.iaqi
    fallback_table = rules.breakpoints[str(top.indicator)]
    return iaqi(fallback_table.pollutant, fallback_table.period, fallback, rules)


def report_iaqis(
    report: ReportName, concentrations: Mapping[str, Number | None], rules: AirRules
) -> dict[str, int | None]:
    """The IAQI of every indicator of a report (HJ 633-2012 Tables 3/4, HJ 633-2026 Tables 4/5).

    *concentrations* maps concentration kinds (``"pm25_24h"``, ``"o3_8h_max"``, …) to values;
    absent kinds count as missing.  Keys of the result are the report's indicator keys.
    """
    result: dict[str, int | None] = {}
    for key, ind in rules.reports[report].indicators.items():
        table = rules.breakpoints[ind.table]
        fallback = concentrations.get(ind.fallback) if ind.fallback else None
        result[key] = iaqi(
            table.pollutant,
            table.period,
            concentrations.get(ind.concentration),
            rules,
            fallback=fallback,
        )
    return result


def aqi(iaqis: Mapping[str, int | None], rules: AirRules) -> int | None:
    """AQI = max IAQI (HJ 633-2012 formula (2)), with the rule set's completeness rule.

    *iaqis* holds every indicator of the report, ``None`` where missing.  With a missing
    indicator, 2012 takes the maximum of those present (the standard is silent); 2026 publishes
    the AQI only if it exceeds 100 (HJ 633-2026 §5.3).
    """
    present = [v for v in iaqis.values() if v is not None]
    if not present:
        return None
    top = max(present)
    rule = rules.completeness
    if len(present) == len(iaqis) or rule.rule == "available":
        return top
    return top if rule.aqi_above is not None and top > rule.aqi_above else None


def category(value: int | None, rules: AirRules | None = None) -> Category | None:
    """The AQI category (级别, 类别, 颜色) of HJ 633-2012 Table 2 / HJ 633-2026 Table 1
    (the same in both generations, so *rules* may be left out)."""
    if value is None:
        return None
    for item in (rules or load_rules("2026")).categories.items:
        if item.max_aqi is None or value <= item.max_aqi:
            return item
    raise AssertionError("categories end with an open class")  # validated at load


def primary_pollutants(iaqis: Mapping[str, int | None], rules: AirRules) -> tuple[str, ...]:
    """首要污染物: when AQI > 50, the indicators with the highest IAQI, ties all listed
    (HJ 633-2012 §3.3 and §4.4.2; HJ 633-2026 §4.3.1).  Keys of *iaqis*, in report order."""
    value = aqi(iaqis, rules)
    if value is None or value <= rules.primary_pollutant.aqi_above:
        return ()
    return tuple(k for k, v in iaqis.items() if v == value)


def over_standard_pollutants(iaqis: Mapping[str, int | None], rules: AirRules) -> tuple[str, ...]:
    """超标污染物: indicators with IAQI > 100 (HJ 633-2012 §3.4); HJ 633-2026 deleted the term,
    so under the 2026 rules the answer is always empty."""
    above = rules.over_standard.iaqi_above
    if above is None:
        return ()
    return tuple(k for k, v in iaqis.items() if v is not None and v > above)
