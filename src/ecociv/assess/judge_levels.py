"""Judges of level requirements: numbers, comparisons, water classes, cumulative brackets;
and the helpers every judge module shares (``Judge``, ``OPS``, ``fmt``, ``review``).

Each ``judge_*`` takes the requirement node and returns a function ``(value, context) ->
Verdict``; :mod:`ecociv.assess.verdict` wraps it with the value states common to all.
Quotas from above are in :mod:`~ecociv.assess.judge_quota`, qualitative forms in
:mod:`~ecociv.assess.judge_qualitative`, requirements over time in
:mod:`~ecociv.assess.judge_changes`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from ecociv.assess.context import Context
from ecociv.assess.statuses import (
    MET,
    NEEDS_REVIEW,
    NOT_MET,
    make,
    relabel,
)
from ecociv.assess.values import Value, component, number_of
from ecociv.expr import ast
from ecociv.model import Verdict

Judge = Callable[[Value, Context], Verdict]

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "=": operator.eq,
}
OP_ZH = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
_DOWN_WORDS = ("下降", "降低", "减少", "削减")
_UP_WORDS = ("提高", "增长", "上升", "增加")


def fmt(x: float) -> str:
    """A number as a plan would print it: ten significant digits hide float noise
    (29.299999999999997 → 29.3), no trailing zeros."""
    return format(x, ".10g")


def review(zh: str, en: str, missing: list[str], clause: str | None, **inputs: object) -> Verdict:
    return make(NEEDS_REVIEW, zh, en, clause=clause, missing=missing, inputs=dict(inputs))


_BARE_OPS = {"higher": ">=", "lower": "<="}


def bare_op(context: Context) -> str | None:
    """A bare number means ≥ when higher is better, ≤ when lower is better."""
    return _BARE_OPS.get(context.better)  # type: ignore[arg-type]


def change_amount(value: Value, context: Context) -> float | None:
    """A stated change (下降18.4%) as a signed amount of the indicator's own measure.

    The indicator name says which way its measure counts (PM2.5浓度**下降**幅度): a change the
    same way is positive, the other way negative; None when the name does not say.
    """
    change = component(value, ast.ChangeFromBase)
    name = context.indicator or ""
    if change is None:
        return None
    if any(word in name for word in _DOWN_WORDS):
        measure = "down"
    elif any(word in name for word in _UP_WORDS):
        measure = "up"
    else:
        return None
    amount = float(change.amount)
    return amount if change.direction == measure else -amount


def compare(op: str, threshold: float, unit: str | None, clause: str | None) -> Judge:
    """value op threshold; margin is signed so that positive is good."""
    test = OPS[op]
    symbol = OP_ZH[op]
    shown = fmt(threshold)
    met_zh, met_en = f"{symbol}{shown}，达到要求", f" {op} {shown}: met"
    failed_zh, failed_en = f"未达到{symbol}{shown}，差", f" fails {op} {shown} by "
    sign = 1.0 if op in (">=", ">") else -1.0

    def run(value: Value, context: Context) -> Verdict:
        x = value if type(value) is float else number_of(value)
        if x is None:
            x = change_amount(value, context)
        if x is None:
            return review(
                "现状值不是数值，无法与数值要求比较",
                "the value is not a number and cannot be compared with a numeric requirement",
                ["数值型现状值 / a numeric value"],
                clause,
            )
        margin = sign * (x - threshold) if op != "=" else -abs(x - threshold)
        inputs = {"value": x, "threshold": threshold, "op": op}
        said = fmt(x)
        if test(x, threshold):
            return make(
                MET, said + met_zh, said + met_en, margin, unit or context.unit, clause, inputs
            )
        gap = fmt(abs(margin))
        return make(
            NOT_MET,
            said + failed_zh + gap,
            said + failed_en + gap,
            margin,
            unit or context.unit,
            clause,
            inputs,
        )

    return run


def judge_comparison(node: ast.Comparison, clause: str) -> Judge:
    return compare(node.op, float(node.value), node.unit, clause)


def judge_number(node: ast.Number, clause: str) -> Judge:
    """A bare threshold; its sense comes from the indicator's direction (docs/verdicts.md)."""
    threshold = float(node.value)
    by_op: dict[str, Judge] = {}  # built on first use: a numeric quota compiles per region

    def run(value: Value, context: Context) -> Verdict:
        op = bare_op(context)
        if op is None:
            return review(
                "指标方向未知，无法判断单独数值要求是下限还是上限",
                "the indicator's direction is unknown: a bare number could be a floor or a ceiling",
                ["指标方向 / indicator direction"],
                clause,
            )
        judge = by_op.get(op)
        if judge is None:
            judge = by_op[op] = compare(op, threshold, node.unit, clause)
        return judge(value, context)

    return run


def judge_grade(node: ast.Grade, clause: str) -> Judge:
    """Water-quality classes (GB 3838-2002 §4): a lower class number is better water."""
    wanted = node.level
    op = node.op or "<="

    def run(value: Value, context: Context) -> Verdict:
        grade = component(value, ast.Grade)
        if grade is None:
            return review(
                "现状值不是水质类别",
                "the value is not a water class",
                ["水质类别 / a water class"],
                clause,
            )
        ok = OPS[op](grade.level, wanted)
        margin = float(wanted - grade.level)
        inputs = {"value_class": grade.level, "required_class": wanted, "op": op}
        if ok:
            return make(
                MET,
                f"水质类别{grade.level}类不劣于{wanted}类",
                f"class {grade.level} is at or better than class {wanted}",
                margin=margin,
                unit="类",
                clause=clause,
                inputs=inputs,
            )
        return make(
            NOT_MET,
            f"水质类别{grade.level}类劣于{wanted}类",
            f"class {grade.level} is worse than class {wanted}",
            margin=margin,
            unit="类",
            clause=clause,
            inputs=inputs,
        )

    return run


def judge_cumulative(node: ast.Cumulative, clause: str) -> Judge:
    """A cumulative target (【】 five-year, [ ] four-year brackets).

    Same span → plain comparison by direction.  A shorter span that already reaches a
    higher-is-better target is met (cumulative reductions are counted as they accrue);
    otherwise the full-span value is missing.
    """
    target = float(node.value)
    years = node.years

    def run(value: Value, context: Context) -> Verdict:
        op = bare_op(context)
        if op is None:
            return review(
                "指标方向未知",
                "the indicator's direction is unknown",
                ["指标方向 / indicator direction"],
                clause,
            )
        stated = component(value, ast.Cumulative)
        span = stated.years if stated is not None else years
        verdict = compare(op, target, node.unit, clause)(
            stated if stated is not None else value, context
        )
        if span == years or verdict.status is not NOT_MET:
            if span != years and verdict.status is MET:
                return relabel(
                    verdict,
                    f"{span}年累计值已达到{years}年累计目标：",
                    f"the {span}-year total already reaches the {years}-year target: ",
                    clause,
                )
            return verdict
        return review(
            f"仅有{span}年累计值，尚不能判断{years}年累计目标",
            f"only a {span}-year total is given; the {years}-year target cannot be judged yet",
            [f"{years}年累计值 / {years}-year cumulative value"],
            clause,
        )

    return run
