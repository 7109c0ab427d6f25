"""The one transformer: Lark parse tree → :mod:`ecociv.expr.ast` nodes.

Tidy-ups that need the whole clause list happen here too: adjacent scope branches joined by
a comma become one :class:`~ecociv.expr.ast.Scoped`, adjacent protection clauses one
:class:`~ecociv.expr.ast.Protection`, several named values (``化学需氧量[13.87%]、氨氮[7.86]``)
one :class:`~ecociv.expr.ast.Items`, and ``目标为…，实际为…，未完成…`` one
:class:`~ecociv.expr.ast.Statement`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from lark import Token, Transformer, v_args

from ecociv.expr import ast
from ecociv.expr.vocab import vocabulary

_GRADES = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_GRADES_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_GRADE_OPS = {">=": "<=", "<=": "<=", ">": "<", "<": "<", "=": None}
# For a water class, 达到 / 达到或优于 / ≤ all mean "this class or better" (a lower number).
_GRADE_WORD_OPS = {"达到": "<=", "达到或优于": "<=", "达到或好于": "<=", "优于": "<"}


class Unreadable(ValueError):
    """A clause the grammar accepts but that means nothing (caught by the parser, which keeps
    the clause as ``Text`` with this message)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


class SeriesMismatch(Unreadable):
    """A series whose year range and value count disagree."""


@dataclass(frozen=True, slots=True)
class _Target:
    expr: ast.Expr


@dataclass(frozen=True, slots=True)
class _Actual:
    expr: ast.Expr


def grade_level(word: str) -> int:
    """Class number of a water-quality class word: ``Ⅲ类`` → 3, ``劣V类`` → 6."""
    core = word.removeprefix("劣").removesuffix("类")
    level = _GRADES.get(core) or _GRADES_ZH[core]
    return 6 if word.startswith("劣") else level


def _unit(token: Token | None) -> tuple[str | None, Decimal]:
    if token is None:
        return None, Decimal(1)
    unit = vocabulary().units[str(token)]
    return unit.canonical, unit.factor


def _quantity(number: Token, unit: Token | None) -> tuple[Decimal, str | None]:
    canonical, factor = _unit(unit)
    value = Decimal(str(number).replace(",", ""))
    return (value * factor if factor != 1 else value), canonical


def _split(children: list[Any], *types: str) -> dict[str, Token]:
    found: dict[str, Token] = {}
    for child in children:
        if isinstance(child, Token) and child.type in types and child.type not in found:
            found[child.type] = child
    return found


@v_args(inline=False)
class ToAst(Transformer):
    """Build AST nodes bottom-up; every method gets its children as a list."""

    def start(self, c):
        return finish(c[0])

    def all_of(self, c):
        return ast.AllOf(tuple(x for x in c if not isinstance(x, Token)))

    def any_of(self, c):
        return ast.AnyOf(tuple(x for x in c if not isinstance(x, Token)))

    def scoped(self, c):
        return ast.Scoped(tuple(c))

    def branch(self, c):
        head, body = c[0], c[-1]
        if isinstance(head, Token) and head.type == "SCOPE":
            return (vocabulary().scopes[str(head)], body)
        return (head, body)

    def label(self, c):
        label = "".join(str(t) for t in c)
        if not any(char.isalnum() for char in label):
            # Only symbols ("%", "?"): nothing names the value, and such a label would be read
            # back as part of the number before it.
            raise Unreadable(f"“{label}”不能作为名称", f"“{label}” cannot name a value")
        return label

    def annotated(self, c):
        note = str(c[1])
        return ast.Annotated(c[0], note[1:-1] if c[1].type == "NOTE" else note)

    def approximately(self, c):
        return ast.Annotated(c[1], str(c[0]))

    def trend(self, c):
        direction, strictness = vocabulary().trends[str(c[0])]
        return ast.Trend(str(c[0]), direction, strictness)  # type: ignore[arg-type]

    def quota(self, c):
        return ast.Quota(str(c[0]))

    def protection(self, c):
        text = str(c[0])
        for subject in vocabulary().protection_subjects:
            if text.startswith(subject):
                return ast.Protection(((subject, text[len(subject) :]),))
        raise AssertionError(text)  # the lexer only yields known subjects

    def qualitative(self, c):
        return ast.Qualitative(str(c[0]))

    def absence(self, c):
        text = str(c[0])
        return ast.Absence(text.removeprefix("不发生") if text.startswith("不发生") else text[1:])

    def not_applicable(self, c):
        return ast.NotApplicable(str(c[0]))

    def no_data(self, c):
        return ast.NoData(str(c[0]))

    def at_year(self, c):
        return ast.AtYear(int(str(c[0])[:4]), c[-1])

    def stated_target(self, c):
        return _Target(c[-1])

    def stated_actual(self, c):
        return _Actual(c[-1])

    def number(self, c):
        value, unit = _quantity(c[0], c[1] if len(c) > 1 else None)
        return ast.Number(value, unit)

    def comparison_pre(self, c):
        word = str(c[0])
        value, unit = _quantity(c[1], c[2] if len(c) > 2 else None)
        return ast.Comparison(vocabulary().comparison_ops[word], value, unit, word)  # type: ignore[arg-type]

    def comparison_post(self, c):
        word = str(c[-1])
        value, unit = _quantity(c[0], c[1] if len(c) > 2 else None)
        return ast.Comparison(vocabulary().suffix_ops[word], value, unit, word)  # type: ignore[arg-type]

    def comparison_both(self, c):
        pre, post = str(c[0]), str(c[-1])
        value, unit = _quantity(c[1], c[2] if len(c) > 3 else None)
        return ast.Comparison(vocabulary().suffix_ops[post], value, unit, f"{pre}…{post}")  # type: ignore[arg-type]

    def range(self, c):
        low, high = re.split(r"\s*[-~～—至]\s*", str(c[0]))
        unit = c[1] if len(c) > 1 else None
        lo, lo_unit = _quantity(Token("NUMBER", low), unit)
        hi, hi_unit = _quantity(Token("NUMBER", high), unit)
        return ast.AllOf(
            (ast.Comparison(">=", lo, lo_unit, "≥"), ast.Comparison("<=", hi, hi_unit, "≤"))
        )

    def grade_post(self, c):
        op = "<=" if vocabulary().suffix_ops[str(c[1])] in (">=", "<=") else None
        return ast.Grade(grade_level(str(c[0])), op)

    def grade(self, c):
        level = grade_level(str(c[-1]))
        if len(c) == 1:
            return ast.Grade(level)
        word = str(c[0])
        op = _GRADE_WORD_OPS.get(word) or _GRADE_OPS[vocabulary().comparison_ops[word]]
        return ast.Grade(level, op)  # type: ignore[arg-type]

    def cumulative(self, c):
        value, unit = _quantity(c[1], c[2] if len(c) > 3 else None)
        return ast.Cumulative(value, unit, 4 if str(c[0]) == "[" else 5)

    def achievement(self, c):
        t = _split(c, "NEG", "OBJECT")
        obj = t.get("OBJECT")
        of = ast.Milestone("完成", None, str(obj)) if obj is not None else None
        return ast.Achievement("NEG" not in t, of)

    def achievement_quota(self, c):
        return ast.Achievement(False, ast.Quota(str(c[-1])))

    def achievement_share(self, c):
        t = _split(c, "NEG", "NUMBER", "UNIT")
        value, _unit_name = _quantity(t["NUMBER"], t.get("UNIT"))
        return ast.Achievement(False if "NEG" in t else None, None, value)

    def milestone(self, c):
        return _milestone(c, "done" if _split(c, "DONE") else None)

    def milestone_in_progress(self, c):
        return _milestone(c, "in_progress")

    def reference(self, c):
        t = _split(c, "MEASURE", "CMP_PRE", "REFERENCE")
        measure = vocabulary().measures[str(t["MEASURE"])] if "MEASURE" in t else "level"
        word = str(t["CMP_PRE"])
        return ast.ReferenceComparison(
            vocabulary().comparison_ops[word],  # type: ignore[arg-type]
            vocabulary().references[str(t["REFERENCE"])],
            measure,  # type: ignore[arg-type]
            word,
        )

    def change(self, c):
        t = _split(c, "YEAR", "BASIS", "CHANGE", "CMP_PRE", "CMP_POST", "NUMBER", "UNIT")
        amount, unit = _quantity(t["NUMBER"], t.get("UNIT"))
        return ast.ChangeFromBase(
            direction=vocabulary().changes[str(t["CHANGE"])],  # type: ignore[arg-type]
            amount=amount,
            unit=unit,
            op=_op(t),
            base_year=int(str(t["YEAR"])[:4]) if "YEAR" in t else None,
            basis=str(t["BASIS"]) if "BASIS" in t else None,
        )

    def change_measure(self, c):
        t = _split(c, "MEASURE", "CMP_PRE", "NUMBER", "UNIT")
        amount, unit = _quantity(t["NUMBER"], t.get("UNIT"))
        direction = "up" if vocabulary().measures[str(t["MEASURE"])] == "increase" else "down"
        return ast.ChangeFromBase(direction, amount, unit, _op(t))  # type: ignore[arg-type]

    def annual(self, c):
        t = _split(c, "CHANGE", "MEASURE", "CMP_PRE", "CMP_POST", "NUMBER", "UNIT")
        amount, unit = _quantity(t["NUMBER"], t.get("UNIT"))
        direction = None
        if "CHANGE" in t:
            direction = vocabulary().changes[str(t["CHANGE"])]
        elif "MEASURE" in t:
            direction = "up" if vocabulary().measures[str(t["MEASURE"])] == "increase" else "down"
        return ast.AnnualRate(direction, amount, unit, _op(t))  # type: ignore[arg-type]

    def series(self, c):
        first, last = str(c[0])[:4], str(c[0]).rstrip("年")[-4:]
        values: list[ast.Expr] = []
        rest = [x for x in c[1:] if x.type not in ("RESPECTIVELY", "DUN")]
        for i, tok in enumerate(rest):
            if tok.type == "NUMBER":
                nxt = rest[i + 1] if i + 1 < len(rest) and rest[i + 1].type == "UNIT" else None
                value, unit = _quantity(tok, nxt)
                values.append(ast.Number(value, unit))
        years = range(int(first), int(last) + 1)
        if len(years) != len(values):
            raise SeriesMismatch(
                f"年份区间 {first}–{last} 有 {len(years)} 年，却给出 {len(values)} 个数值",
                f"the years {first}–{last} are {len(years)} but {len(values)} values are given",
            )
        return ast.Series(tuple(zip(years, values, strict=True)))


def _op(t: dict[str, Token]) -> str | None:
    if "CMP_PRE" in t:
        return vocabulary().comparison_ops[str(t["CMP_PRE"])]
    if "CMP_POST" in t:
        return vocabulary().suffix_ops[str(t["CMP_POST"])]
    return None


def _milestone(c: list[Any], state: str | None) -> ast.Milestone:
    t = _split(c, "MILESTONE", "OBJECT")
    kind, word_state = vocabulary().milestones[str(t["MILESTONE"])]
    obj = t.get("OBJECT")
    return ast.Milestone(kind, state or word_state, str(obj) if obj is not None else None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tidy-ups


def finish(expr: Any) -> ast.Expr:
    """Apply the whole-clause tidy-ups (bottom-up) and resolve stated targets/actuals,
    wherever they sit in the tree."""
    if isinstance(expr, _Target | _Actual):
        return ast.Statement(
            actual=finish(expr.expr) if isinstance(expr, _Actual) else None,
            target=finish(expr.expr) if isinstance(expr, _Target) else None,
        )
    if isinstance(expr, ast.Scoped):
        return _scoped(expr)
    if isinstance(expr, ast.AllOf):
        return _all_of(tuple(finish(p) for p in expr.parts))
    changes = {f.name: _finish_field(getattr(expr, f.name)) for f in fields(expr)}
    return replace(expr, **changes)


def _finish_field(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_finish_field(v) for v in value)
    if isinstance(value, (*ast.NODE_TYPES, _Target, _Actual)):
        return finish(value)
    return value


def _scoped(expr: ast.Scoped) -> ast.Expr:
    branches = tuple((label, finish(body)) for label, body in expr.branches)
    if len(branches) == 1 and branches[0][0] not in vocabulary().scopes.values():
        return ast.Named(*branches[0])
    return ast.Scoped(branches)


def _all_of(parts: tuple[ast.Expr, ...]) -> ast.Expr:
    merged: list[ast.Expr] = []
    for part in parts:
        prev = merged[-1] if merged else None
        if isinstance(prev, ast.Protection) and isinstance(part, ast.Protection):
            merged[-1] = ast.Protection(prev.clauses + part.clauses)
        elif isinstance(prev, ast.Scoped) and isinstance(part, ast.Scoped):
            merged[-1] = ast.Scoped(prev.branches + part.branches)
        else:
            merged.append(part)
    statement = _statement(merged)
    if statement is not None:
        return statement
    if len(merged) >= 2 and all(_named_quantity(p) for p in merged):
        return ast.Items(tuple((p.name, p.expr) for p in merged))  # type: ignore[union-attr]
    return merged[0] if len(merged) == 1 else ast.AllOf(tuple(merged))


_QUANTITIES = (ast.Number, ast.Comparison, ast.Cumulative, ast.ChangeFromBase, ast.Grade)


def _named_quantity(expr: ast.Expr) -> bool:
    return isinstance(expr, ast.Named) and isinstance(expr.expr, _QUANTITIES)


def _statement(parts: list[ast.Expr]) -> ast.Statement | None:
    """``目标为X，实际为Y[，verdict]`` → Statement (stated markers became Statements)."""
    stated = [p for p in parts if isinstance(p, ast.Statement) and p.verdict is None]
    if not stated:
        return None
    target = next((p.target for p in stated if p.target is not None), None)
    actual = next((p.actual for p in stated if p.actual is not None), None)
    rest = [p for p in parts if p not in stated]
    verdict = rest[0] if len(rest) == 1 and isinstance(rest[0], ast.Achievement) else None
    if len(stated) != len(parts) - (1 if verdict else 0):
        return None
    return ast.Statement(actual=actual, target=target, verdict=verdict)
