"""What a GEP computation is given: physical inputs by year, GDP, the external-origin deduction.

These are plain values (the workbook reader in :mod:`ecociv.gep.workbook` builds them from a
bureau's .xlsx; a test builds them from literals).  :func:`measured` converts a written value and
unit to the canonical unit and refuses a negative or unknown one with a bilingual error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ecociv.errors import InputError
from ecociv.gep.prices import Deflator
from ecociv.gep.units import scale


@dataclass(frozen=True, slots=True)
class Measured:
    """A value in its canonical unit, with what was written and where it came from."""

    value: Decimal
    unit: str
    written: str
    source: str = ""
    where: str = ""


def measured(
    value: Decimal | int | float | str,
    unit: str,
    *,
    source: str = "",
    where: str = "",
    expect: str | None = None,
) -> Measured:
    """*value* in *unit* as a :class:`Measured` in the canonical unit.

    Refuses (``InputError``) a value that is not a number, a negative value (no physical quantity,
    price or money amount here is negative) and a unit that is unknown or, when *expect* (a
    canonical unit) is given, of another quantity.
    """
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite():
        raise InputError(
            f"数值 {value!r} 不是数字", f"the value {value!r} is not a number", where=where or None
        )
    if number < 0:
        raise InputError(
            f"数值 {value} 为负数：实物量、面积、价格与金额都不能为负",
            f"the value {value} is negative: quantities, areas, prices and amounts cannot be",
            where=where or None,
        )
    found = scale(unit)
    if found is None:
        raise InputError(f"未知单位 {unit!r}", f"unknown unit {unit!r}", where=where or None)
    if expect is not None and found.canonical != expect:
        raise InputError(
            f"单位 {unit} 不是 {expect} 类单位",
            f"the unit {unit} is not a unit of {expect}",
            where=where or None,
        )
    return Measured(number * found.factor, found.canonical, f"{value} {unit}", source, where)


@dataclass
class YearInputs:
    """One year's inputs: ``values[(indicator, input)][component]`` (component ``""`` when the
    input has none) and item quantities given directly (e.g. from InVEST)."""

    values: dict[tuple[str, str], dict[str, Measured]] = field(default_factory=dict)
    quantities: dict[str, Measured] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Deduction:
    """Value of ecological products of external origin (区域外生态产品价值), deducted from GEP."""

    amount: Measured
    reason: str


@dataclass
class AccountingInputs:
    region: str = ""
    region_code: str = ""
    years: dict[int, YearInputs] = field(default_factory=dict)
    gdp: dict[int, Measured] = field(default_factory=dict)
    deductions: dict[int, list[Deduction]] = field(default_factory=dict)
    deflator: Deflator | None = None
