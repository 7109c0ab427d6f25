"""The same quantity stated in two tables (national vs provincial table, a review table vs
the new plan's baseline) with different values, units or attributes.

Rows are the same quantity when their names fold to the same core (``names.identity``).
Values are compared year by year: an observed value (baseline or past-year column) with an
observed value of the same year, a target with a target of the same year.  Known causes are
named: a share of days over 365 vs 366 in a leap year, and one value being the other rounded.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from ecociv.check.data import vocab
from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.names import identity
from ecociv.check.text import fold
from ecociv.check.view import (
    CheckInput,
    Quantity,
    RowRef,
    expr_of,
    in_row_unit,
    indicator_rows,
    quantity,
    unit_of,
)
from ecociv.standards.catalog import versions
from ecociv.standards.matcher import match

_PLACE = re.compile(r"[\u4e00-\u9fff]{2,3}?(?:省|市|区|县|镇|乡|街道)")
_NUMBERING = re.compile(r"^(?:附表|续表|专栏|表)[\d一二三四五六七八九十.\-]*")
_DASHES = {"-", "--", "—", "——", "/", ""}


def _by_year(ref: RowRef) -> dict[tuple[str, int], tuple[str, Quantity]]:
    values = {}
    for column in ref.table.columns:
        if column.year is None or column.key not in ref.row.cells:
            continue
        kind = (
            "target"
            if column.role == "target"
            else "observed"
            if column.role in ("baseline", "value")
            else None
        )
        q = quantity(expr_of(ref.row.cells[column.key]))
        if kind and q is not None and (kind, column.year) not in values:
            values[(kind, column.year)] = (column.key, in_row_unit(q, ref.row.unit))
    return values


def places(caption: str | None) -> set[str]:
    """The administrative places a caption names (``柯桥区``), without words such as 示范区."""
    excluded = vocab()["places"]["not_places"]
    return {
        name
        for name in _PLACE.findall(_NUMBERING.sub("", fold(caption or "")))
        if not any(name.endswith(word) for word in excluded)
    }


def _pairs(data: CheckInput):
    groups: dict[str, list[RowRef]] = defaultdict(list)
    for ref in indicator_rows(data.plan):
        groups[identity(ref.row.name)].append(ref)
    for refs in groups.values():
        for a, b in combinations(refs, 2):
            if a.table.index == b.table.index:
                continue
            classes = (a.row.region_class, b.row.region_class)
            if None not in classes and classes[0] != classes[1]:
                continue
            here, there = places(a.table.caption), places(b.table.caption)
            if here and there and not here & there:
                continue
            yield a, b


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def leap_year_cause(name: str, year: int, a: Decimal, b: Decimal) -> tuple[str, str] | None:
    """A share of days whose two values are one day count over 365 and over 366."""
    if not calendar.isleap(year) or not any(
        w in fold(name) for w in vocab()["leap_year"]["day_share_words"]
    ):
        return None
    for days in range(1, 367):
        over_366 = Decimal(days) * 100 / 366
        over_365 = Decimal(days) * 100 / 365
        for x, y in ((a, b), (b, a)):
            if _round(over_366, _decimals(x)) == x and _round(over_365, _decimals(y)) == y:
                return (
                    f"{year} 年是闰年：{days}/366 = {x}%，{days}/365 = {y}%，一处分母用了 365 天",
                    f"{year} is a leap year: {days}/366 = {x}% and {days}/365 = {y}%; one figure divides by 365 days",
                )
    return None


def rounding_cause(a: Decimal, b: Decimal) -> tuple[str, str] | None:
    short, long_ = (a, b) if _decimals(a) < _decimals(b) else (b, a)
    if _decimals(short) != _decimals(long_) and _round(long_, _decimals(short)) == short:
        return (f"{short} 是 {long_} 的取整", f"{short} is {long_} rounded")
    return None


def within_approximation(a: Decimal, b: Decimal) -> bool:
    """Whether *a* and *b* agree within the tolerance of an approximate figure (约, 左右)."""
    tolerance = Decimal(str(vocab()["approximate"]["tolerance_approx"]))
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _unit_text(unit: str | None) -> str:
    text = fold(unit or "").replace("//", "/")
    return "" if text in _DASHES else text


def _follows_standard(ref: RowRef) -> bool:
    """Whether the row's attribute is the one its table's standard gives the indicator."""
    scopes = {c.scope for c in ref.table.columns if c.role == "standard"}
    for version_id, standard in versions().items():
        national = standard.version.jurisdiction == "national"
        if scopes and not (
            ("national" in scopes) == national or ("provincial" in scopes) != national
        ):
            continue
        found = match(ref.row.name, version_id)
        if (
            found.indicator is not None
            and found.confidence >= 0.9
            and found.indicator.attribute == ref.row.attribute
        ):
            return True
    return False


def same_quantity(data: CheckInput) -> list[Finding]:
    found = []
    for a, b in _pairs(data):
        ua, ub = _unit_text(a.row.unit), _unit_text(b.row.unit)
        known_a, known_b = unit_of(ua), unit_of(ub)
        if (
            ua
            and ub
            and ua != ub
            and (known_a is None or known_b is None or known_a[0] != known_b[0])
        ):
            found.append(
                finding(
                    "same_quantity.unit",
                    [a.location("unit"), b.location("unit")],
                    {"name": a.row.name, "units": [a.row.unit, b.row.unit]},
                    zh=f"“{a.row.name}”在{a.table.caption}中单位为 {a.row.unit}，在{b.table.caption}中为 {b.row.unit}",
                    en=f"“{a.row.name}” is in {a.row.unit} in {a.table.caption} but in {b.row.unit} in {b.table.caption}",
                    fix_zh="统一单位（并核对数值是否随单位换算）",
                    fix_en="use one unit (and check the values follow it)",
                )
            )
        if a.row.attribute and b.row.attribute and a.row.attribute != b.row.attribute:
            follows = _follows_standard(a) and _follows_standard(b)
            found.append(
                finding(
                    "same_quantity.attribute",
                    [a.location("attribute"), b.location("attribute")],
                    {"name": a.row.name, "attributes": [a.row.attribute, b.row.attribute]},
                    severity="note" if follows else None,
                    cause=(
                        "两张表各自照录了所对标标准的指标属性",
                        "each table copies the attribute its own standard gives",
                    )
                    if follows
                    else None,
                    zh=f"“{a.row.name}”在{a.table.caption}中为{a.row.attribute}，在{b.table.caption}中为{b.row.attribute}",
                    en=f"“{a.row.name}” is {a.row.attribute} in {a.table.caption} but {b.row.attribute} in {b.table.caption}",
                    fix_zh="确定本规划对该指标的约束程度，两表一致",
                    fix_en="decide how binding the indicator is in this plan and state it the same way in both tables",
                )
            )
        va, vb = _by_year(a), _by_year(b)
        for key in sorted(set(va) & set(vb)):
            (col_a, qa), (col_b, qb) = va[key], vb[key]
            if qa.value == qb.value or (qa.unit and qb.unit and qa.unit != qb.unit):
                continue
            if (qa.approximate or qb.approximate) and within_approximation(qa.value, qb.value):
                continue
            kind, year = key
            cause = leap_year_cause(
                a.row.name + b.row.name, year, qa.value, qb.value
            ) or rounding_cause(qa.value, qb.value)
            found.append(
                finding(
                    "same_quantity.value",
                    [a.location(col_a), b.location(col_b)],
                    {
                        "name": a.row.name,
                        "year": year,
                        "kind": kind,
                        "values": [str(qa.value), str(qb.value)],
                    },
                    severity="note" if cause and cause[1].endswith("rounded") else None,
                    cause=cause,
                    zh=(
                        f"{year} 年“{a.row.name}”{'目标' if kind == 'target' else '数值'}：{a.table.caption}为 "
                        f"{a.row.cells[col_a].text}，{b.table.caption}为 {b.row.cells[col_b].text}"
                    ),
                    en=(
                        f"{year} {'target' if kind == 'target' else 'value'} of “{a.row.name}”: "
                        f"{a.row.cells[col_a].text} in {a.table.caption}, {b.row.cells[col_b].text} in {b.table.caption}"
                    ),
                    fix_zh="核实数据来源，两处采用同一数值",
                    fix_en="check the source and state one value in both places",
                )
            )
    return found


RULES = (same_quantity,)
