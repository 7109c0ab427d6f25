"""Judges of requirements over time: trends, change from a base year, average annual rates,
and comparisons with a reference such as the provincial average (全省平均值)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ecociv.assess.context import Context
from ecociv.assess.judge_levels import OP_ZH, OPS, Judge, fmt, review
from ecociv.assess.series import annual_rate_percent, change_percent, moves
from ecociv.assess.statuses import MET, NOT_MET, make
from ecociv.assess.values import Value, component, number_of, series_points
from ecociv.expr import ast
from ecociv.model import Verdict

_SERIES_MISSING = "至少两个年份的数值 / values for at least two years"


def _verdict(
    ok: bool,
    zh: str,
    en: str,
    margin: float,
    unit: str | None,
    clause: str,
    inputs: dict[str, Any],
) -> Verdict:
    if ok:
        return make(MET, zh + "，达到要求", en + ": met", margin, unit, clause, inputs)
    return make(NOT_MET, zh + "，未达到要求", en + ": not met", margin, unit, clause, inputs)


def judge_trend(node: ast.Trend, clause: str) -> Judge:
    """A trend word over the series (strictness rules in :mod:`ecociv.assess.series`)."""

    word_zh = f"（{node.word}）"
    #: (rising?, strictness) of each direction; 改善 takes the indicator's side at run time.
    senses = {
        direction: (
            direction in ("up", "not_down"),
            "non_strict" if direction in ("not_down", "not_up") else node.strictness,
        )
        for direction in ("up", "down", "not_down", "not_up")
    }
    shown_en = {
        direction: f" ({strictness} {'rise' if up else 'fall'})"
        for direction, (up, strictness) in senses.items()
    }

    def run(value: Value, context: Context) -> Verdict:
        direction = node.direction
        if direction == "improve":
            if context.better is None:
                return review(
                    "指标方向未知，无法判断“改善”",
                    "the direction of improvement is unknown",
                    ["指标方向 / indicator direction"],
                    clause,
                )
            direction = "up" if context.better == "higher" else "down"
        points = series_points(value, context)
        if len(points) < 2:
            return review(
                f"判断“{node.word}”需要至少两个年份的数值",
                f"'{node.word}' needs values for at least two years",
                [_SERIES_MISSING],
                clause,
                points=len(points),
            )
        inputs = {"series": dict(points), "strictness": node.strictness}
        first, last = points[0][1], points[-1][1]
        span, shown = f"{points[0][0]}–{points[-1][0]}年", f"{fmt(first)} → {fmt(last)}"
        if direction == "stable":
            tolerance = context.stability_tolerance
            ok = moves(points, True, "tolerance", tolerance)
            within_zh, within_en = _tolerance_words(tolerance)
            return _verdict(
                ok,
                span + shown + within_zh,
                shown + within_en,
                tolerance * abs(first) - abs(last - first),
                context.unit,
                clause,
                inputs,
            )
        up, strictness = senses[direction]
        ok = moves(points, up, strictness, context.stability_tolerance)
        good = (context.better == "higher") == up if context.better else False
        if not ok and good and _stays_at_bound(points, context):
            return make(
                MET,
                f"始终处于最优值{fmt(last)}，无法再{node.word}",
                f"stays at its best bound {fmt(last)}",
                0.0,
                context.unit,
                clause,
                inputs,
            )
        return _verdict(
            ok,
            span + shown + word_zh,
            shown + shown_en[direction],
            (last - first) if up else (first - last),
            context.unit,
            clause,
            inputs,
        )

    return run


@lru_cache(maxsize=64)
def _tolerance_words(tolerance: float) -> tuple[str, str]:
    """The stability tolerance as the reasons print it (``（稳定容差±1%）``)."""
    return f"（稳定容差±{tolerance:.0%}）", f" within ±{tolerance:.0%}"


def _stays_at_bound(points: Sequence[tuple[int, float]], context: Context) -> bool:
    if context.better == "higher":
        return context.share and all(v >= 100.0 for _, v in points)
    return all(v <= 0.0 for _, v in points)


def _base_year(node: ast.ChangeFromBase, context: Context) -> int | None:
    if node.base_year is not None:
        return node.base_year
    if node.basis == "同比" and context.year is not None:
        return context.year - 1
    return context.base_year


def judge_change(node: ast.ChangeFromBase, clause: str) -> Judge:
    """较Y年下降X%: a stated change of the same kind, or the change computed from the series."""
    op = node.op or ">="
    amount = float(node.amount)
    sign = -1.0 if node.direction == "down" else 1.0
    word = "下降" if node.direction == "down" else "上升"
    required_zh = f"%，要求{word}{OP_ZH[op]}{fmt(amount)}%"
    required_en = f"%, required {op} {fmt(amount)}%"
    said_en = "fell " if sign < 0 else "rose "

    def run(value: Value, context: Context) -> Verdict:
        stated = component(value, ast.ChangeFromBase)
        if stated is not None:
            observed = float(stated.amount) * (1.0 if stated.direction == node.direction else -1.0)
            inputs: dict[str, Any] = {"stated_change": observed}
        else:
            base_year = _base_year(node, context)
            points = dict(series_points(value, context))
            year = context.year or (max(points) if points else None)
            lacking = []
            if base_year is None or base_year not in points:
                lacking.append(f"{base_year or '基准'}年数值 / value in the base year")
            if year is None or year not in points:
                lacking.append("当年数值 / current value")
            if lacking or base_year is None or year is None:
                return review(
                    f"缺少基准年或当年数值，无法计算{word}幅度",
                    "the base-year or current value is missing: the change cannot be computed",
                    lacking,
                    clause,
                )
            observed = sign * change_percent(points[base_year], points[year])
            inputs = {
                "base_year": base_year,
                "base": points[base_year],
                "year": year,
                "current": points[year],
            }
        ok = OPS[op](observed, amount)
        margin = observed - amount if op in (">=", ">", "=") else amount - observed
        said = fmt(observed)
        return _verdict(
            ok,
            word + said + required_zh,
            said_en + said + required_en,
            margin,
            "%",
            clause,
            inputs,
        )

    return run


def judge_annual_rate(node: ast.AnnualRate, clause: str) -> Judge:
    """年均下降幅度≥X%: a stated annual rate, or the compound rate over the series."""
    op = node.op or ">="
    amount = float(node.amount)
    required_zh = f"%，要求{OP_ZH[op]}{fmt(amount)}%"
    required_en = f"%, required {op} {fmt(amount)}%"

    def run(value: Value, context: Context) -> Verdict:
        stated = component(value, ast.AnnualRate)
        if stated is not None:
            same = (
                stated.direction is None
                or node.direction is None
                or stated.direction == node.direction
            )
            observed = float(stated.amount) * (1.0 if same else -1.0)
            inputs: dict[str, object] = {"stated_rate": observed}
        else:
            if node.direction is None:
                return review(
                    "年均变化方向未说明",
                    "the direction of the annual rate is not stated",
                    ["年均变化方向 / direction of the rate"],
                    clause,
                )
            points = series_points(value, context)
            if len(points) < 2 or points[0][1] <= 0:
                return review(
                    "计算年均变化率需要至少两个年份的正数值",
                    "an annual rate needs two or more positive yearly values",
                    [_SERIES_MISSING],
                    clause,
                )
            rate = annual_rate_percent(points)
            observed = -rate if node.direction == "down" else rate
            inputs = {"series": dict(points), "method": "compound annual rate (CAGR)"}
        ok = OPS[op](observed, amount)
        margin = observed - amount if op in (">=", ">", "=") else amount - observed
        said = fmt(observed)
        return _verdict(
            ok,
            "年均" + said + required_zh,
            "annual " + said + required_en,
            margin,
            "%",
            clause,
            inputs,
        )

    return run


def reference_key(node: ast.ReferenceComparison) -> str:
    """The key of a reference in ``Context.references``: ``全省平均值`` or ``全省平均值:increase``."""
    return node.reference if node.measure == "level" else f"{node.reference}:{node.measure}"


def judge_reference(node: ast.ReferenceComparison, clause: str) -> Judge:
    """高于全省平均值 / 提高幅度大于全省平均值: needs the reference value from the context.

    ``increase``/``decrease`` measures compare the change since the base year (or the first
    year of the series) in the indicator's unit, e.g. percentage points for a share.
    """
    key = reference_key(node)
    test = OPS[node.op]
    measure_zh = {"level": "", "increase": "提高幅度", "decrease": "下降幅度"}[node.measure]
    measure_en = {"level": "", "increase": "increase ", "decrease": "decrease "}[node.measure]

    def run(value: Value, context: Context) -> Verdict:
        reference = context.references.get(key)
        if reference is None:
            return review(
                f"缺少参照值“{key}”",
                f"the reference value '{key}' is not given",
                [f"{key} / reference value {key}"],
                clause,
            )
        if node.measure == "level":
            observed = number_of(value)
            if observed is None:
                return review(
                    "现状值不是数值",
                    "the value is not a number",
                    ["数值型现状值 / a numeric value"],
                    clause,
                )
        else:
            ordered = series_points(value, context)
            if len(ordered) < 2:
                return review(
                    "计算变化幅度需要基准年和当年数值",
                    "the change needs base-year and current values",
                    [_SERIES_MISSING],
                    clause,
                )
            points = dict(ordered)
            first = points.get(context.base_year, ordered[0][1])  # type: ignore[arg-type]
            last = ordered[-1][1]
            observed = last - first if node.measure == "increase" else first - last
        margin = observed - reference if node.op in (">=", ">") else reference - observed
        said, shown = fmt(observed), fmt(reference)
        return _verdict(
            test(observed, reference),
            f"{measure_zh}{said}，{node.reference}{shown}，要求{OP_ZH[node.op]}{node.reference}",
            f"{measure_en}{said}, {node.reference} {shown}, required {node.op} it",
            margin,
            context.unit,
            clause,
            {"value": observed, key: reference},
        )

    return run
