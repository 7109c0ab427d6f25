"""Compute a GEP account table: physical quantities, prices, values, totals, with provenance.

``value = quantity [canonical unit] × price [万元 per canonical unit] × deflator factor``, or a
money formula for items valued from money inputs (net output, travel cost).  Every line keeps
the inputs, the formula and its source, the coefficients and the price with its source, so a
reviewer can trace any cell.  Unverified parts of the method set and every other caveat travel
with the result as :attr:`GepResult.notices`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ecociv.errors import InputError
from ecociv.gep.catalog import COEF_PREFIX, Calc, Item, MethodItem, MethodSet, catalog
from ecociv.gep.formulas import NegativeComponent
from ecociv.gep.inputs import AccountingInputs, Measured, YearInputs
from ecociv.gep.notices import Notice, method_notices, price_notices
from ecociv.gep.prices import Price, PriceSet
from ecociv.gep.units import MONEY


@dataclass(frozen=True)
class Line:
    code: str
    zh: str
    en: str
    account: str
    indicator: str
    quantity: Decimal
    unit: str
    price: Price | None
    value: Decimal
    valuation: str
    verified: bool
    provenance: dict[str, Any]
    share: Decimal = Decimal(0)


@dataclass
class GepResult:
    region: str
    year: int
    method: MethodSet
    prices: PriceSet
    lines: list[Line]
    accounts: dict[str, Decimal]
    gross: Decimal
    deduction: Decimal
    gep: Decimal
    gdp: Decimal | None
    series: dict[int, Decimal]
    yoy: Decimal | None
    prices_used: list[Price]
    notices: list[Notice] = field(default_factory=list)


def compute(method: MethodSet, prices: PriceSet, given: AccountingInputs, year: int) -> GepResult:
    """The GEP of *year* by *method* at *prices*, and the constant-price series of every year
    present in *given* (all valued at *year*'s price level)."""
    if year not in given.years:
        raise InputError(
            f"输入中没有 {year} 年的实物量", f"the inputs hold no physical data for {year}"
        )
    notices: list[Notice] = method_notices(method)
    used: dict[str, Price] = {}
    series: dict[int, Decimal] = {}
    counted_by_year: dict[int, set[str]] = {}
    lines: list[Line] = []
    for y in sorted(given.years):
        year_lines = [
            line
            for m in method.items
            if (
                line := _line(
                    m, given.years[y], prices, given, year, used, notices if y == year else []
                )
            )
            is not None
        ]
        series[y] = sum((ln.value for ln in year_lines), Decimal(0)) - _deduction(
            given, y, year, method, []
        )
        counted_by_year[y] = {ln.code for ln in year_lines}
        if y == year:
            lines = year_lines
    counted = counted_by_year[year]
    if year - 1 in counted_by_year and counted_by_year[year - 1] != counted:
        differ = sorted(counted ^ counted_by_year[year - 1])
        notices.append(
            (
                f"{year - 1} 年与 {year} 年计入的条目不同（{'、'.join(differ)}），比上年变化不完全可比",
                f"{year - 1} and {year} count different items ({', '.join(differ)}); the change on the previous year is not fully comparable",
            )
        )
    skipped = [m.item for m in method.items if m.item.code not in counted]
    if skipped:
        notices.append(
            (
                "未填报，未计入：" + "、".join(f"{i.zh}（{i.code}）" for i in skipped),
                "Not filled in, not counted: " + ", ".join(i.code for i in skipped),
            )
        )
    gross = sum((ln.value for ln in lines), Decimal(0))
    lines = [_with_share(ln, gross) for ln in lines]
    deduction = _deduction(given, year, year, method, notices)
    gdp = given.gdp.get(year)
    previous = series.get(year - 1)
    price_notices(used.values(), year, given, notices)
    return GepResult(
        region=given.region,
        year=year,
        method=method,
        prices=prices,
        lines=lines,
        accounts={
            a.code: sum((ln.value for ln in lines if ln.account == a.code), Decimal(0))
            for a in catalog().accounts
        },
        gross=gross,
        deduction=deduction,
        gep=gross - deduction,
        gdp=gdp.value if gdp else None,
        series=series,
        yoy=(series[year] - previous) / previous if previous else None,
        prices_used=sorted(used.values(), key=lambda p: p.key),
        notices=notices,
    )


def _with_share(line: Line, gross: Decimal) -> Line:
    share = line.value / gross if gross else Decimal(0)
    return dataclasses.replace(line, share=share)


def _line(
    m: MethodItem,
    year_inputs: YearInputs,
    prices: PriceSet,
    given: AccountingInputs,
    year: int,
    used: dict[str, Price],
    notices: list[Notice],
) -> Line | None:
    item = m.item
    direct = year_inputs.quantities.get(item.code)
    calc_inputs = item.quantity.inputs() | (item.value.inputs() if item.value else set())
    present = {ref for ref in calc_inputs if (item.indicator, ref) in year_inputs.values}
    if direct is None and not present:
        return None
    provenance: dict[str, Any] = {
        "formula": item.quantity.formula.text,
        "formula_source": item.quantity.formula.source,
        "item_source": item.source,
    }
    if direct is not None:
        if present:
            raise InputError(
                f"条目 {item.zh} 既给出了实物量，又给出了计算它的输入项，只能取一种",
                f"item {item.code} has both a quantity given directly and the inputs to compute it; give one",
                where=direct.where or None,
            )
        if item.value is not None:
            raise InputError(
                f"条目 {item.zh} 的价值由货币输入项计算，不能直接给实物量",
                f"the value of {item.code} comes from money inputs; its quantity cannot be given directly",
                where=direct.where or None,
            )
        if direct.unit != item.unit:
            raise InputError(
                f"条目 {item.zh} 的实物量单位应为 {item.unit} 类，给出的是 {direct.written}",
                f"the quantity of {item.code} needs a unit of {item.unit}, got {direct.written}",
                where=direct.where or None,
            )
        quantity = direct.value
        provenance["formula"] = "Q 直接给出 / given directly"
        provenance["inputs"] = [_input_dict("quantity", "", direct)]
    else:
        quantity = _evaluate(item.quantity, item, year_inputs, prices, used, provenance)
    if item.value is not None:
        value = _evaluate(
            item.value, item, year_inputs, prices, used, provenance, key="value_inputs"
        )
        provenance["value_formula"] = item.value.formula.text
        price = None
    else:
        price = prices.get(item.price or "", item.code)
        if price.canonical_unit != f"{MONEY}/{item.unit}":
            raise InputError(
                f"价格 {price.key} 的单位 {price.unit} 与条目 {item.zh} 的实物量单位 {item.unit} 不配",
                f"price {price.key} in {price.unit} does not fit the quantity of {item.code} in {item.unit}",
                where=prices.name,
            )
        used[price.key] = price
        factor = _deflate(price, given, year)
        value = quantity * price.per_canonical * factor
        provenance["value_formula"] = "V = Q × P" + (
            " × 平减系数 / deflator" if factor != 1 else ""
        )
        provenance["price"] = {**price.as_dict(), "deflator_factor": float(factor)}
        if price.kind and price.kind != m.valuation:
            methods = catalog().valuation_methods
            notices.append(
                (
                    f"{item.zh}：方法集要求{methods[m.valuation][0]}，价格集 {prices.code} 的 {price.key} 属于{methods[price.kind][0]}",
                    f"{item.en}: the method set asks for {methods[m.valuation][1]}, price {price.key} of {prices.code} is a {methods[price.kind][1]}",
                )
            )
    return Line(
        item.code,
        item.zh,
        item.en,
        item.account,
        item.indicator,
        quantity,
        item.unit,
        price,
        value,
        m.valuation,
        m.verified,
        provenance,
    )


def _evaluate(
    calc: Calc,
    item: Item,
    year_inputs: YearInputs,
    prices: PriceSet,
    used: dict[str, Price],
    provenance: dict[str, Any],
    key: str = "inputs",
) -> Decimal:
    args: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    components: dict[str, set[str]] = {}
    for param, ref in calc.args.items():
        if ref.startswith(COEF_PREFIX):
            coef = prices.get(ref[len(COEF_PREFIX) :], item.code)
            used[coef.key] = coef
            args[param] = coef.per_canonical
            provenance.setdefault("coefficients", []).append(coef.as_dict())
            continue
        rows = year_inputs.values.get((item.indicator, ref))
        if not rows:
            declared = catalog().indicators[item.indicator].inputs[ref]
            raise InputError(
                f"条目 {item.zh} 缺少输入项 {declared.zh}（{item.indicator}.{ref}）",
                f"item {item.code} lacks the input {item.indicator}.{ref}",
            )
        for component, m in rows.items():
            records.append(_input_dict(ref, component, m))
        if param in calc.formula.per_component:
            args[param] = {c: m.value for c, m in rows.items()}
            components[ref] = set(rows)
        else:
            args[param] = (
                rows[""].value if "" in rows else sum((m.value for m in rows.values()), Decimal(0))
            )
    _same_components(item, components)
    provenance[key] = records
    try:
        return calc.formula.func(**args)
    except NegativeComponent as exc:
        raise InputError(
            f"条目 {item.zh} 的分项 {exc.component} 计算结果为负（{exc.value}）：请核对降水、径流与蒸散发",
            f"item {item.code}, component {exc.component}: the quantity is negative ({exc.value}); check P, R and ET",
        ) from None


def _same_components(item: Item, components: dict[str, set[str]]) -> None:
    if len({frozenset(c) for c in components.values()}) > 1:
        everything = set().union(*components.values())
        gaps = {ref: sorted(everything - c) for ref, c in components.items() if everything - c}
        raise InputError(
            f"条目 {item.zh} 的分项输入不齐：{gaps}",
            f"item {item.code}: per-component inputs do not cover the same components: {gaps}",
        )


def _input_dict(code: str, component: str, m: Measured) -> dict[str, Any]:
    """The provenance record of an input; a negative one (built without :func:`measured`) is
    refused here too, so that none passes silently."""
    if m.value < 0:
        raise InputError(
            f"输入项 {code}{('（' + component + '）') if component else ''} 为负数：{m.written}",
            f"the input {code}{(' (' + component + ')') if component else ''} is negative: {m.written}",
            where=m.where or None,
        )
    return {
        "input": code,
        "component": component,
        "written": m.written,
        "value": float(m.value),
        "unit": m.unit,
        "source": m.source,
        "where": m.where,
    }


def _deflate(price: Price, given: AccountingInputs, year: int) -> Decimal:
    if given.deflator is None or price.year is None or price.year == year:
        return Decimal(1)
    return given.deflator.factor(price.year, year)


def _deduction(
    given: AccountingInputs, y: int, year: int, method: MethodSet, notices: list[Notice]
) -> Decimal:
    entries = given.deductions.get(y, [])
    if not entries and method.external_deduction:
        notices.append(
            (
                f"方法集 {method.document} 要求扣除区域外生态产品价值，输入中未给出，按 0 计",
                f"The method set {method.document} deducts products of external origin; none was given, counted as 0",
            )
        )
    total = sum((d.amount.value for d in entries), Decimal(0))
    if given.deflator is not None and y != year and total:
        total *= given.deflator.factor(y, year)
    return total
