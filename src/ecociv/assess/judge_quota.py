"""Judges of targets assigned from above (上级下达任务, 完成上级管控目标 …) and of values that
report their own outcome (完成 / 未完成)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ecociv.assess.context import Context
from ecociv.assess.direction import infer_direction
from ecociv.assess.judge_levels import Judge, review
from ecociv.assess.statuses import MET, NOT_MET, make, relabel
from ecociv.assess.values import Value, component, number_of, stated_outcome, unwrap
from ecociv.expr import ast
from ecociv.model import Verdict


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
        quota = context.quota
        if quota is not None:
            judge = _quota_judge(quota) if isinstance(quota, _NUMBERS) else _compiled(quota)
            verdict = judge(value, context.without_quota())
            return relabel(verdict, "上级下达目标：", "quota from above: ", clause)
        statement = component(value, ast.Statement) or _outer_statement(value)
        if statement is not None and statement.target is not None:
            verdict = _compiled(statement.target)(statement.actual, context)
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


_NUMBERS = (float, int)


def _compiled(requirement: ast.Expr) -> Judge:
    """The engine's judge of *requirement* (imported here: the engine imports this module)."""
    from ecociv.assess.verdict import compile_requirement

    return compile_requirement(requirement)


@lru_cache(maxsize=65536)
def _quota_judge(quota: float) -> Judge:
    """The judge of a numeric quota (a bare number: its sense comes from the direction)."""
    return _compiled(ast.Number(Decimal(str(quota))))


def _outer_statement(value: Value) -> ast.Statement | None:
    while isinstance(value, (ast.Annotated, ast.Named, ast.AtYear)):
        value = value.expr
    return value if isinstance(value, ast.Statement) else None
