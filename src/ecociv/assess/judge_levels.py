"""Judges of level requirements: numbers, comparisons, water classes, cumulative brackets,
quotas from above, and the qualitative forms (milestones, protection clauses, 不明显, 无X).

Each ``judge_*`` takes the requirement node and returns a function ``(value, context) ->
Verdict``; :mod:`ecociv.assess.verdict` wraps it with the value states common to all.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from ecociv.assess.context import Context
from ecociv.assess.direction import infer_direction
from ecociv.assess.statuses import (
    IN_PROGRESS,
    MET,
    NEEDS_REVIEW,
    NOT_MET,
    make,
    relabel,
)
from ecociv.assess.values import Value, component, number_of, stated_outcome, unwrap
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


def bare_op(context: Context) -> str | None:
    """A bare number means ≥ when higher is better, ≤ when lower is better."""
    return {"higher": ">=", "lower": "<="}.get(context.better or "")


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
                MET,
                said + met_zh,
                said + met_en,
                margin=margin,
                unit=unit or context.unit,
                clause=clause,
                inputs=inputs,
            )
        gap = fmt(abs(margin))
        return make(
            NOT_MET,
            f"{said}未达到{symbol}{shown}，差{gap}",
            f"{said} fails {op} {shown} by {gap}",
            margin=margin,
            unit=unit or context.unit,
            clause=clause,
            inputs=inputs,
        )

    return run


def judge_comparison(node: ast.Comparison, clause: str) -> Judge:
    return compare(node.op, float(node.value), node.unit, clause)


def judge_number(node: ast.Number, clause: str) -> Judge:
    """A bare threshold; its sense comes from the indicator's direction (docs/verdicts.md)."""
    by_op = {op: compare(op, float(node.value), node.unit, clause) for op in (">=", "<=")}

    def run(value: Value, context: Context) -> Verdict:
        op = bare_op(context)
        if op is None:
            return review(
                "指标方向未知，无法判断单独数值要求是下限还是上限",
                "the indicator's direction is unknown: a bare number could be a floor or a ceiling",
                ["指标方向 / indicator direction"],
                clause,
            )
        return by_op[op](value, context)

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


def at_best_bound(value: Value, context: Context) -> bool:
    """Whether the value is the best its quantity can be: 100 % of a higher-is-better share,
    0 of a lower-is-better quantity, or an elimination (全面消除, 无X).

    A value labelled with what it measures (``劣V类水体比例为0%``) is read by its own label's
    direction (``ecociv.assess.direction``); otherwise by the context's.
    """
    inner = unwrap(value)
    if isinstance(inner, ast.Absence):
        return True
    if isinstance(inner, ast.Milestone) and "消除" in inner.kind:
        return True
    x = number_of(inner)
    if x is None:
        return False
    named = component(value, ast.Named)
    better, share = context.better, context.share
    if named is not None:
        found = infer_direction(named.name)
        if found.known:
            better, share = found.better, found.share
    if better == "higher":
        return share and x >= 100.0
    return better == "lower" and x <= 0.0


def reported(outcome: ast.Achievement, clause: str | None) -> Verdict:
    """A value that is itself a stated outcome (完成 / 未完成 / 完成目标任务的90%)."""
    if outcome.met is None and outcome.share is not None:
        met = outcome.share >= 100
        detail_zh, detail_en = f"完成目标的{outcome.share}%", f"{outcome.share}% of the target done"
    else:
        met = bool(outcome.met)
        detail_zh, detail_en = ("完成" if met else "未完成"), ("done" if met else "not done")
    return make(
        MET if met else NOT_MET,
        f"依据所报结果：{detail_zh}（未独立核算）",
        f"as reported: {detail_en} (not recomputed)",
        clause=clause,
        inputs={"reported": detail_en},
    )


def judge_quota(node: ast.Quota, clause: str) -> Judge:
    """A target assigned from above (上级下达), decided in this order (docs/verdicts.md):
    the context's quota; a target stated in the value cell; the best-bound rule; an outcome
    the value reports; otherwise needs_review naming the quota."""

    def run(value: Value, context: Context) -> Verdict:
        from ecociv.assess.verdict import compile_requirement

        quota = context.quota
        if quota is not None:
            judge = (
                _quota_judge(quota)
                if isinstance(quota, float | int)
                else compile_requirement(quota)
            )
            verdict = judge(value, context.without_quota())
            return relabel(verdict, "上级下达目标：", "quota from above: ", clause)
        statement = component(value, ast.Statement) or _outer_statement(value)
        if statement is not None and statement.target is not None:
            verdict = compile_requirement(statement.target)(statement.actual, context)
            return relabel(verdict, "单元格所列目标：", "target stated in the cell: ", clause)
        if at_best_bound(value, context):
            return make(
                MET,
                "现状值已处于最优边界，任何上级下达目标均已满足",
                "the value is at its best possible bound: any quota from above is met",
                clause=clause,
                inputs={"value": number_of(value), "rule": "best_bound"},
            )
        outcome = stated_outcome(value)
        if outcome is not None:
            return reported(outcome, clause)
        what = (context.indicator or "该指标") + (f"{context.year}年" if context.year else "")
        return review(
            "缺少上级下达的目标值，无法判定",
            "the quota assigned from above is not given",
            [f"上级下达的{what}目标 / quota assigned from above"],
            clause,
        )

    return run


@lru_cache(maxsize=65536)
def _quota_judge(quota: float) -> Judge:
    """The judge of a numeric quota (a bare number: its sense comes from the direction)."""
    from ecociv.assess.verdict import compile_requirement

    return compile_requirement(ast.Number(Decimal(str(quota))))


def _outer_statement(value: Value) -> ast.Statement | None:
    while isinstance(value, (ast.Annotated, ast.Named, ast.AtYear)):
        value = value.expr
    return value if isinstance(value, ast.Statement) else None


def judge_milestone(node: ast.Milestone, clause: str) -> Judge:
    """An action (制定实施, 建立 …): an action stated as taken meets it; one in progress is
    in_progress; a positive coverage (100%) meets it, zero does not."""

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        if isinstance(inner, ast.Milestone):
            if inner.state == "in_progress":
                return make(
                    IN_PROGRESS,
                    f"{inner.kind}推进中，尚未完成",
                    f"{inner.kind} under way, not done",
                    clause=clause,
                    inputs={"value": inner.kind},
                )
            return make(
                MET,
                f"已{inner.kind}",
                f"done: {inner.kind}",
                clause=clause,
                inputs={"value": inner.kind},
            )
        x = number_of(inner)
        if x is not None:
            if x > 0:
                return make(
                    MET,
                    f"已{node.kind}（{fmt(x)}）",
                    f"{node.kind} done ({fmt(x)})",
                    clause=clause,
                    inputs={"value": x},
                )
            return make(
                NOT_MET,
                f"未{node.kind}（{fmt(x)}）",
                f"{node.kind} not done ({fmt(x)})",
                clause=clause,
                inputs={"value": x},
            )
        return review(
            f"现状值未说明是否{node.kind}",
            f"the value does not say whether {node.kind} is done",
            [f"{node.kind}的情况 / whether {node.kind} is done"],
            clause,
        )

    return run


def judge_protection(node: ast.Protection, clause: str) -> Judge:
    """Protection clauses (面积不减少，性质不改变，功能不降低): each must be stated as kept."""
    wanted = node.clauses

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        have = set(inner.clauses) if isinstance(inner, ast.Protection) else set()
        lacking = [subject + verb for subject, verb in wanted if (subject, verb) not in have]
        if not lacking:
            return make(
                MET, "各项保护要求均已保持", "every protection clause is kept", clause=clause
            )
        return review(
            "未说明以下保护要求是否保持：" + "、".join(lacking),
            "not stated whether these clauses are kept: " + ", ".join(lacking),
            [f"{c} 的情况 / status of {c}" for c in lacking],
            clause,
        )

    return run


def judge_qualitative(node: ast.Qualitative, clause: str) -> Judge:
    """A qualitative level (不明显): the same word meets it; its negation fails it."""
    word = node.word
    opposite = word[1:] if word.startswith("不") else "不" + word

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        said = inner.word if isinstance(inner, ast.Qualitative) else None
        if said == word:
            return make(
                MET, f"现状{word}", f"stated: {word}", clause=clause, inputs={"value": said}
            )
        if said == opposite:
            return make(
                NOT_MET,
                f"现状{said}，要求{word}",
                f"stated {said}, required {word}",
                clause=clause,
                inputs={"value": said},
            )
        return review(
            f"现状值未说明是否{word}",
            f"the value does not say whether it is {word}",
            [f"是否{word} / whether {word}"],
            clause,
        )

    return run


def judge_absence(node: ast.Absence, clause: str) -> Judge:
    """无X: met by a stated absence or elimination, or a count/share of 0."""

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        if isinstance(inner, ast.Absence) or (
            isinstance(inner, ast.Milestone) and "消除" in inner.kind
        ):
            return make(MET, f"已无{node.subject}", f"no {node.subject} left", clause=clause)
        x = number_of(inner)
        if x is not None:
            status = MET if x == 0 else NOT_MET
            return make(
                status,
                f"{node.subject}为{fmt(x)}",
                f"{node.subject}: {fmt(x)}",
                clause=clause,
                margin=-x,
                inputs={"value": x},
            )
        return review(
            f"未说明是否已无{node.subject}",
            f"not stated whether any {node.subject} is left",
            [f"{node.subject}的情况 / status of {node.subject}"],
            clause,
        )

    return run
