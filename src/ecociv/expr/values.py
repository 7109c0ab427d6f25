"""Read a parsed cell as an observed value rather than a requirement.

In a value cell a quota phrase is a claim that the quota was met (``完成上级规定的考核任务``),
and a value followed by such a claim (``79.5%，未完成上级规定的考核任务``) is a
:class:`~ecociv.expr.ast.Statement` carrying the actual value and the stated verdict — the
verdict the audit (``ecociv audit``) recomputes.
"""

from __future__ import annotations

from ecociv.expr import ast
from ecociv.expr.walk import map_children


def _claim(expr: ast.Expr) -> ast.Achievement | None:
    """The claim ``expr`` makes, if it is one: an achievement, or one that leads a 且-group
    (``完成上级规定的目标任务并持续改善`` → met, of quota and trend)."""
    if isinstance(expr, ast.Achievement):
        return expr
    if isinstance(expr, ast.AllOf) and isinstance(expr.parts[0], ast.Achievement):
        head = expr.parts[0]
        of = ast.AllOf((head.of, *expr.parts[1:])) if head.of is not None else None
        return ast.Achievement(head.met, of, head.share)
    return None


_VALUES = (
    ast.Number,
    ast.Comparison,
    ast.Grade,
    ast.ChangeFromBase,
    ast.AnnualRate,
    ast.Cumulative,
    ast.Named,
    ast.Series,
    ast.AtYear,
    ast.Annotated,
)


def _quotas_as_claims(expr: ast.Expr) -> ast.Expr:
    if isinstance(expr, ast.Quota):
        return ast.Achievement(True, expr)
    if isinstance(expr, ast.Achievement | ast.Text):
        return expr
    return map_children(expr, _quotas_as_claims)


def _statements(expr: ast.Expr) -> ast.Expr:
    if not isinstance(expr, ast.AllOf):
        if isinstance(expr, ast.Achievement | ast.Statement):
            return expr
        return map_children(expr, _statements)
    if any(isinstance(p, ast.Items) for p in expr.parts):
        return map_children(expr, _statements)  # a head before ①②…: each item speaks alone
    rest_are_values = any(isinstance(p, _VALUES) for p in expr.parts[1:])
    if isinstance(expr.parts[0], ast.Achievement) and not rest_are_values:
        claim = _claim(expr)
        assert claim is not None
        return claim
    claims = [(i, c) for i, p in enumerate(expr.parts) if (c := _claim(p)) is not None]
    if len(claims) != 1:
        return map_children(expr, _statements)
    index, claim = claims[0]
    rest = tuple(_statements(p) for p in expr.parts[:index] + expr.parts[index + 1 :])
    actual = rest[0] if len(rest) == 1 else ast.AllOf(rest)
    if isinstance(actual, ast.Statement) and actual.verdict is None:
        return ast.Statement(actual.actual, actual.target, claim)
    return ast.Statement(actual=actual, verdict=claim)


def as_value(expr: ast.Expr) -> ast.Expr:
    """``expr`` reinterpreted for a value cell."""
    return _statements(_quotas_as_claims(expr))
