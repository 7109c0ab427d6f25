"""Render an expression back to canonical Chinese.

The canonical text parses back to the same tree: ``parse(render(parse(s).expr)).expr ==
parse(s).expr`` for every ``s`` (a hypothesis property in ``tests/expr``).  Words the cell
used are kept where the tree keeps them (``不低于90`` stays ``不低于90``); separators are
canonical (``；`` between clauses, ``且`` inside an alternative, ``或`` between alternatives).
"""

from __future__ import annotations

from decimal import Decimal
from functools import singledispatch

from ecociv.expr import ast
from ecociv.expr.cells import CIRCLED
from ecociv.expr.vocab import vocabulary

OP_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
GRADE_NAMES = {1: "Ⅰ类", 2: "Ⅱ类", 3: "Ⅲ类", 4: "Ⅳ类", 5: "Ⅴ类", 6: "劣Ⅴ类"}
GRADE_OPS = {"<=": "达到或优于", "<": "优于"}
_CHANGE_WORDS = {"up": "提高", "down": "下降"}


def number_text(value: Decimal, unit: str | None = None) -> str:
    """``Decimal('90')`` → ``90``; with a unit ``90%`` (never scientific notation)."""
    return f"{format(value, 'f')}{unit or ''}"


def render(expr: ast.Expr) -> str:
    """Canonical Chinese text of ``expr``."""
    return _render(expr, False)


def _join(separator: str, pieces: list[str]) -> str:
    """Join, keeping a piece with 无 from gluing onto the next word: ``无相关数据或1`` would
    read as “无” + “相关数据或1” (an absence runs to the next punctuation or space), so a
    space, which ends a word for the lexer, goes in between."""
    out = ""
    for i, piece in enumerate(pieces):
        if i:
            out += (" " if "无" in pieces[i - 1] else "") + separator
        out += piece
    return out


def _range(expr: ast.AllOf) -> str | None:
    """``80-90``: the canonical text of a ≥low ≤high pair with one unit, else None."""
    if len(expr.parts) != 2:
        return None
    low, high = expr.parts
    if (
        isinstance(low, ast.Comparison)
        and isinstance(high, ast.Comparison)
        and (low.op, low.word, high.op, high.word) == (">=", "≥", "<=", "≤")
        and low.unit == high.unit
    ):
        return f"{number_text(low.value)}-{number_text(high.value, high.unit)}"
    return None


def _render(expr: ast.Expr, nested: bool) -> str:
    if isinstance(expr, ast.AllOf) and (text := _range(expr)) is not None:
        return text
    if isinstance(expr, ast.AllOf):
        return _join("且" if nested else "；", [_render(p, True) for p in expr.parts])
    if isinstance(expr, ast.AnyOf):
        return _join("或", [_render(o, True) for o in expr.options])
    if isinstance(expr, ast.Items) and nested and not _circled(expr):
        # named items inside a clause list: 且 keeps them one group (、 would split them)
        return _join("且", [f"{label}：{_render(e, True)}" for label, e in expr.items])
    return _leaf(expr)


def _circled(expr: ast.Items) -> bool:
    return all(label in CIRCLED for label, _ in expr.items)


@singledispatch
def _leaf(expr: ast.Expr) -> str:
    raise TypeError(f"no rendering for {type(expr).__name__}")


@_leaf.register
def _(expr: ast.Number) -> str:
    return number_text(expr.value, expr.unit)


@_leaf.register
def _(expr: ast.Comparison) -> str:
    word = expr.word or OP_SYMBOLS[expr.op]
    if "…" in word:
        pre, post = word.split("…", 1)
        return pre + number_text(expr.value, expr.unit) + post
    if word in vocabulary().suffix_ops:
        return number_text(expr.value, expr.unit) + word
    return word + number_text(expr.value, expr.unit)


@_leaf.register
def _(expr: ast.Grade) -> str:
    return GRADE_OPS.get(expr.op or "", "") + GRADE_NAMES[expr.level]


def _label(label: str) -> str:
    return label if label in vocabulary().scopes else f"{label}："


@_leaf.register
def _(expr: ast.Scoped) -> str:
    return _join(" ", [_label(scope) + _render(body, True) for scope, body in expr.branches])


@_leaf.register
def _(expr: ast.Trend) -> str:
    return expr.word


@_leaf.register
def _(expr: ast.ChangeFromBase) -> str:
    base = f"较{expr.base_year}年" if expr.base_year is not None else ""
    op = OP_SYMBOLS[expr.op] if expr.op else ""
    word = _CHANGE_WORDS[expr.direction]
    return f"{base}{expr.basis or ''}{word}{op}{number_text(expr.amount, expr.unit)}"


@_leaf.register
def _(expr: ast.AnnualRate) -> str:
    word = _CHANGE_WORDS[expr.direction] if expr.direction else ""
    op = OP_SYMBOLS[expr.op] if expr.op else ""
    return f"年均{word}{op}{number_text(expr.amount, expr.unit)}"


@_leaf.register
def _(expr: ast.ReferenceComparison) -> str:
    measure = {"level": "", "increase": "提高幅度", "decrease": "下降幅度"}[expr.measure]
    return f"{measure}{expr.word or OP_SYMBOLS[expr.op]}{expr.reference}"


@_leaf.register
def _(expr: ast.Quota) -> str:
    return expr.phrase


@_leaf.register
def _(expr: ast.Achievement) -> str:
    neg = "未" if expr.met is False else ""
    if expr.share is not None:
        return f"{neg}完成目标任务的{number_text(expr.share)}%"
    of = expr.of
    if of is None:
        return f"{neg}完成"
    if isinstance(of, ast.AllOf):
        joiner = "；" if any(isinstance(p, ast.AnyOf) for p in of.parts) else "并"
        return neg + joiner.join(_render(p, True) for p in of.parts)
    if isinstance(of, ast.Milestone) and of.kind == "完成":
        return f"{neg}完成{of.object or ''}"
    return neg + _render(of, True)


@_leaf.register
def _(expr: ast.Milestone) -> str:
    prefix = {"done": "已", "in_progress": "正在", None: ""}[expr.state]
    return prefix + expr.kind + (expr.object or "")


@_leaf.register
def _(expr: ast.Protection) -> str:
    return "，".join(subject + verb for subject, verb in expr.clauses)


@_leaf.register
def _(expr: ast.Qualitative) -> str:
    return expr.word


@_leaf.register
def _(expr: ast.Absence) -> str:
    return "无" + expr.subject


@_leaf.register
def _(expr: ast.Cumulative) -> str:
    inner = number_text(expr.value, expr.unit)
    return f"[{inner}]" if expr.years == 4 else f"【{inner}】"


@_leaf.register
def _(expr: ast.Items) -> str:
    if _circled(expr):
        return _join("\n", [label + _render(e, False) for label, e in expr.items])
    return _join("、", [f"{label}：{_render(e, True)}" for label, e in expr.items])


@_leaf.register
def _(expr: ast.NotApplicable) -> str:
    return expr.word


@_leaf.register
def _(expr: ast.NoData) -> str:
    return expr.word


@_leaf.register
def _(expr: ast.Annotated) -> str:
    return f"{_render(expr.expr, True)}（{expr.note}）"


@_leaf.register
def _(expr: ast.Named) -> str:
    return f"{expr.name}：{_render(expr.expr, True)}"


@_leaf.register
def _(expr: ast.Series) -> str:
    first, last = expr.points[0][0], expr.points[-1][0]
    return f"{first}-{last}年分别为" + "、".join(_render(v, True) for _y, v in expr.points)


@_leaf.register
def _(expr: ast.AtYear) -> str:
    return f"{expr.year}年为{_render(expr.expr, True)}"


@_leaf.register
def _(expr: ast.Statement) -> str:
    parts = []
    if expr.target is not None:
        parts.append("目标为" + _render(expr.target, True))
    if expr.actual is not None:
        parts.append("实际为" + _render(expr.actual, True))
    if expr.verdict is not None:
        parts.append(_render(expr.verdict, True))
    return _join("，", parts)


@_leaf.register
def _(expr: ast.Text) -> str:
    return expr.raw
