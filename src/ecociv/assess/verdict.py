"""The verdict engine: judge a value against a requirement, with reasons (docs/verdicts.md).

``evaluate(requirement, value, context)`` compiles the requirement once into a tree of small
judge functions (cached per requirement: nothing is parsed or matched at judgment time) and
runs it on the value.  The result is an :class:`ecociv.model.Verdict`: one of the six
statuses, reasons in Chinese and English, the signed margin (positive is good), the clause
that decided, the inputs used and, for ``needs_review``, exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from ecociv.assess import judge_changes as changes
from ecociv.assess import judge_levels as levels
from ecociv.assess import judge_qualitative as qualitative
from ecociv.assess import judge_quota as quotas
from ecociv.assess.context import Context
from ecociv.assess.judge_levels import Judge, review
from ecociv.assess.judge_quota import reported
from ecociv.assess.statuses import (
    IN_PROGRESS,
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    combine_all,
    combine_any,
    make,
)
from ecociv.assess.values import Value, number_of, stated_outcome, unwrap
from ecociv.expr import ast
from ecociv.expr.render import render
from ecociv.model import Verdict

DEFAULT_CONTEXT = Context()
_NUMERIC = (float, int, ast.Number)


#: Judges by the identity of their requirement object.  Each entry holds the requirement
#: itself, so its id cannot be reused while the entry lives; parsed cells are shared objects
#: (``ecociv.expr`` caches them), so this skips hashing a whole tree on every call.
_BY_IDENTITY: dict[int, tuple[ast.Expr, Judge]] = {}
_BY_IDENTITY_LIMIT = 65536


def evaluate(requirement: ast.Expr, value: Value, context: Context = DEFAULT_CONTEXT) -> Verdict:
    """Judge *value* against *requirement* in *context* (see the module docstring)."""
    entry = _BY_IDENTITY.get(id(requirement))
    if entry is None:
        if len(_BY_IDENTITY) >= _BY_IDENTITY_LIMIT:
            _BY_IDENTITY.clear()
        entry = _BY_IDENTITY[id(requirement)] = (requirement, compile_requirement(requirement))
    return entry[1](value, context)


def clause_text(node: ast.Expr) -> str:
    """The canonical Chinese text of a requirement node (``ecociv.expr.render``)."""
    return render(node)


@lru_cache(maxsize=65536)
def compile_requirement(requirement: ast.Expr) -> Judge:
    """The judge of *requirement*: the value states common to every requirement first, then
    the requirement's own rule.  Cached: a requirement shared by many values compiles once."""
    clause = clause_text(requirement)
    build = _BUILDERS.get(type(requirement))
    if build is None:
        return _fixed_review(
            clause,
            f"“{clause}”不是可判定的要求",
            f"{type(requirement).__name__} is not a requirement that can be judged",
            "可判定的要求 / a requirement that can be judged",
        )
    judge = build(requirement, clause)
    if isinstance(requirement, _STRUCTURAL):
        return judge
    return _guarded(judge, clause, own_outcome=isinstance(requirement, ast.Quota))


def _guarded(judge: Judge, clause: str, *, own_outcome: bool) -> Judge:
    """The value states that decide before any rule: missing, not applicable, no data,
    unreadable, per-item values (each item judged), work in progress, a reported outcome."""

    def run(value: Value, context: Context) -> Verdict:
        if type(value) is float:
            return judge(value, context)
        if value is None:
            return make(NO_DATA, "无现状值", "no value", clause=clause)
        inner = unwrap(value)
        if isinstance(inner, _NUMERIC):
            return judge(value, context)
        if isinstance(inner, ast.NotApplicable):
            return make(
                NOT_APPLICABLE,
                f"现状值为“{inner.word}”：不适用",
                f"value '{inner.word}': not applicable",
                clause=clause,
            )
        if isinstance(inner, ast.NoData):
            return make(
                NO_DATA,
                f"现状值为“{inner.word}”：无数据",
                f"value '{inner.word}': no data",
                clause=clause,
            )
        if isinstance(inner, ast.Text):
            return review(
                f"现状值无法解析（{inner.reason}）",
                f"the value cannot be read ({inner.reason})",
                ["可解析的现状值 / a readable value"],
                clause,
                text=inner.raw,
            )
        if isinstance(inner, (ast.Items, ast.Scoped)):
            pairs = inner.items if isinstance(inner, ast.Items) else inner.branches
            parts = [run(sub, context.for_item(label)) for label, sub in pairs]
            return combine_all(parts, clause, [label for label, _ in pairs])
        if isinstance(inner, ast.Milestone) and inner.state == "in_progress":
            return make(
                IN_PROGRESS, f"{inner.kind}推进中", f"{inner.kind} under way", clause=clause
            )
        if not own_outcome and number_of(inner) is None:
            outcome = stated_outcome(inner)
            if outcome is not None:
                return reported(outcome, clause)
        return judge(value, context)

    return run


def _fixed_review(clause: str, zh: str, en: str, missing: str) -> Judge:
    def run(value: Value, context: Context) -> Verdict:
        return review(zh, en, [missing], clause)

    return run


def _not_applicable(node: ast.NotApplicable, clause: str) -> Judge:
    def run(value: Value, context: Context) -> Verdict:
        return make(
            NOT_APPLICABLE,
            f"要求为“{node.word}”：不适用",
            f"requirement '{node.word}': not applicable",
            clause=clause,
        )

    return run


def _unreadable(node: ast.Text | ast.NoData, clause: str) -> Judge:
    why = node.reason if isinstance(node, ast.Text) else node.word
    return _fixed_review(
        clause,
        f"要求无法解析（{why}）",
        f"the requirement cannot be read ({why})",
        "可解析的要求 / a readable requirement",
    )


def _all_of(node: ast.AllOf, clause: str) -> Judge:
    judges = [compile_requirement(part) for part in node.parts]
    labels = [clause_text(part) for part in node.parts]

    def run(value: Value, context: Context) -> Verdict:
        return combine_all([judge(value, context) for judge in judges], clause, labels)

    return run


def _any_of(node: ast.AnyOf, clause: str) -> Judge:
    """Either option suffices: options are tried in order and the first met one decides."""
    judges = [compile_requirement(option) for option in node.options]

    def run(value: Value, context: Context) -> Verdict:
        parts = []
        for judge in judges:
            part = judge(value, context)
            parts.append(part)
            if part.status is MET:
                break
        return combine_any(parts, clause)

    return run


def _items(node: ast.Items, clause: str) -> Judge:
    """Per-item requirements (①②③): each item's value against its requirement, matched by
    label, else by position; all met → met, any not met → not met, else the weakest."""
    judges = [(label, compile_requirement(sub)) for label, sub in node.items]

    def run(value: Value, context: Context) -> Verdict:
        inner = unwrap(value)
        if not isinstance(inner, ast.Items):
            if value is None or isinstance(inner, (ast.NotApplicable, ast.NoData)):
                return compile_requirement(ast.AllOf(tuple(s for _, s in node.items)))(
                    value, context
                )
            return review(
                "要求分项列出，现状值未分项",
                "the requirement is per item but the value is not",
                ["分项现状值 / per-item values"],
                clause,
            )
        given = dict(inner.items)
        by_position = len(inner.items) == len(judges) and not set(given) & {lb for lb, _ in judges}
        parts = []
        for position, (label, judge) in enumerate(judges):
            sub = inner.items[position][1] if by_position else given.get(label)
            parts.append(judge(sub, context.for_item(label)))
        return combine_all(parts, clause, [label for label, _ in judges])

    return run


def _scoped(node: ast.Scoped, clause: str) -> Judge:
    """Alternatives by region class (市≥95 县≥85): the branch of the context's class."""
    branches = [(scope, compile_requirement(sub)) for scope, sub in node.branches]
    scopes = "、".join(scope for scope, _ in branches)

    def run(value: Value, context: Context) -> Verdict:
        have = context.classes.values()
        for scope, judge in branches:
            if scope in have:
                return judge(value, context)
        inner = unwrap(value)
        if isinstance(inner, ast.Scoped):
            return _items(ast.Items(node.branches), clause)(ast.Items(inner.branches), context)
        return review(
            f"要求按类别区分（{scopes}），缺少本地区类别",
            f"the requirement differs by class ({scopes}); the region's class is not given",
            [f"地区类别（{scopes}） / region class"],
            clause,
        )

    return run


def _wrapped(node: ast.Annotated | ast.Named | ast.AtYear, clause: str) -> Judge:
    return compile_requirement(node.expr)


def _statement(node: ast.Statement, clause: str) -> Judge:
    if node.target is None:
        return _fixed_review(
            clause, "要求中没有目标值", "the requirement states no target", "目标值 / a target"
        )
    return compile_requirement(node.target)


def _achievement(node: ast.Achievement, clause: str) -> Judge:
    if node.of is None:
        return _fixed_review(
            clause,
            "要求只写“完成”，未说明完成什么",
            "the requirement says only 'done'",
            "具体要求 / the actual requirement",
        )
    return compile_requirement(node.of)


_STRUCTURAL = (
    ast.AllOf,
    ast.AnyOf,
    ast.Items,
    ast.Scoped,
    ast.Annotated,
    ast.Named,
    ast.AtYear,
    ast.Statement,
    ast.Achievement,
    ast.NotApplicable,
    ast.Text,
    ast.NoData,
)

_BUILDERS: dict[type, Callable[..., Judge]] = {
    ast.Number: levels.judge_number,
    ast.Comparison: levels.judge_comparison,
    ast.Grade: levels.judge_grade,
    ast.Cumulative: levels.judge_cumulative,
    ast.Quota: quotas.judge_quota,
    ast.Milestone: qualitative.judge_milestone,
    ast.Protection: qualitative.judge_protection,
    ast.Qualitative: qualitative.judge_qualitative,
    ast.Absence: qualitative.judge_absence,
    ast.Trend: changes.judge_trend,
    ast.ChangeFromBase: changes.judge_change,
    ast.AnnualRate: changes.judge_annual_rate,
    ast.ReferenceComparison: changes.judge_reference,
    ast.AllOf: _all_of,
    ast.AnyOf: _any_of,
    ast.Items: _items,
    ast.Scoped: _scoped,
    ast.Annotated: _wrapped,
    ast.Named: _wrapped,
    ast.AtYear: _wrapped,
    ast.Statement: _statement,
    ast.Achievement: _achievement,
    ast.NotApplicable: _not_applicable,
    ast.Text: _unreadable,
    ast.NoData: _unreadable,
}

#: The requirement node types the engine judges (``docs/verdicts.md`` documents each).
REQUIREMENT_CLASSES: tuple[type, ...] = tuple(_BUILDERS)
