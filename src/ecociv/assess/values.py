"""Reading observed values: the number, grade, series or stated outcome inside a value cell.

A value reaches the engine as a plain number or as an ``ecociv.expr`` node; these helpers
look through the wrappers that only describe it (``Annotated`` notes, ``Named`` labels,
``AtYear``, a ``Statement``'s actual value) so that each requirement can ask for the form it
judges.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from ecociv.expr import ast

if TYPE_CHECKING:
    from ecociv.assess.context import Context

Value = ast.Expr | float | int | Decimal | None
N = TypeVar("N")

_WRAPPERS = (ast.Annotated, ast.Named, ast.AtYear)


def unwrap(value: Value) -> Value:
    """Strip descriptive wrappers; a ``Statement`` becomes its actual value when it has one."""
    while True:
        if isinstance(value, _WRAPPERS):
            value = value.expr
        elif isinstance(value, ast.Statement) and value.actual is not None:
            value = value.actual
        else:
            return value


def number_of(value: Value) -> float | None:
    """The number a value states (a value written ``≥90%`` counts as 90), or None."""
    value = unwrap(value)
    if isinstance(value, (float, int, Decimal)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (ast.Number, ast.Comparison, ast.Cumulative)):
        return float(value.value)
    return None


def year_of(value: Value) -> int | None:
    """The year a value is stated for (``2021年为60.9``), if it says."""
    while isinstance(value, (ast.Annotated, ast.Named)):
        value = value.expr
    return value.year if isinstance(value, ast.AtYear) else None


def component(value: Value, kind: type[N]) -> N | None:
    """The first node of type *kind* in a compound value (且-joined parts, wrappers)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            return node
        if isinstance(node, _WRAPPERS):
            stack.append(node.expr)
        elif isinstance(node, ast.AllOf):
            stack.extend(reversed(node.parts))
        elif isinstance(node, ast.Statement) and node.actual is not None:
            stack.append(node.actual)
    return None


def stated_outcome(value: Value) -> ast.Achievement | None:
    """The verdict a value cell states about itself (``未完成上级规定的考核任务``), if any."""
    while isinstance(value, _WRAPPERS):
        value = value.expr
    if isinstance(value, ast.Achievement):
        return value
    if isinstance(value, ast.Statement):
        return value.verdict
    return None


def series_points(value: Value, context: Context) -> Sequence[tuple[int, float]]:
    """Year-ordered points up to the judged year: a ``Series`` value, else the context's series
    with the value put at the context's year (or at the year the value states)."""
    current: float | None
    if type(value) is float:
        year, current = context.year, value
    else:
        inner = unwrap(value)
        if isinstance(inner, ast.Series):
            points = {y: number_of(v) for y, v in inner.points}
            return sorted((y, v) for y, v in points.items() if v is not None)
        year, current = year_of(value) or context.year, number_of(inner)
    if current is None or year is None or context.series.get(year) == current:
        if year == context.year:
            return context.points_to_year()
        known = context.points()
    else:
        merged = dict(context.series)
        merged[year] = current
        known = tuple(sorted(merged.items()))
    if year is None:
        return known
    return known[: bisect_right(known, (year, math.inf))]
