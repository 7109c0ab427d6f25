"""Explain an expression in a sentence a bureau clerk understands (Chinese or English).

``explain(parse("≤25.4或持续下降且年均下降幅度≥3.5%").expr, "en")`` →
"at most 25.4, or falling steadily, and falling on average by at least 3.5% a year".
"""

from __future__ import annotations

from functools import singledispatch

from ecociv.expr import ast
from ecociv.expr.render import GRADE_NAMES, number_text
from ecociv.expr.vocab import vocabulary

Pair = tuple[str, str]

_OPS: dict[str, Pair] = {
    ">=": ("不低于", "at least"),
    "<=": ("不高于", "at most"),
    ">": ("高于", "above"),
    "<": ("低于", "below"),
    "=": ("等于", "equal to"),
}
_TRENDS: dict[str, Pair] = {
    "up": ("上升", "rising"),
    "down": ("下降", "falling"),
    "improve": ("改善", "improving"),
    "stable": ("保持稳定", "staying stable"),
    "not_down": ("不下降", "not falling"),
    "not_up": ("不上升", "not rising"),
}
_STRICT: dict[str, Pair] = {
    "each_year": ("每年都比上一年{d}", "{d} every year against the year before"),
    "overall": ("期末比期初{d}", "{d} from the start to the end of the period"),
    "non_strict": ("期末比期初{d}，持平也算", "{d} from start to end; equal counts"),
    "tolerance": ("变化在允许范围内", "{d}: change within the stability tolerance"),
}
_CHANGE: dict[str | None, Pair] = {
    "up": ("提高", "rise"),
    "down": ("下降", "fall"),
    None: ("变化", "change"),
}
_MEASURE: dict[str, Pair] = {
    "level": ("数值", "the value"),
    "increase": ("提高幅度", "the increase"),
    "decrease": ("下降幅度", "the decrease"),
}
_STATE: dict[str | None, Pair] = {
    "done": ("已", "done: "),
    "in_progress": ("正在推进：", "in progress: "),
    None: ("", ""),
}


def explain(expr: ast.Expr, lang: str = "zh") -> str:
    """One sentence for ``expr``: ``lang`` is ``"zh"`` (default) or ``"en"``."""
    zh, en = _pair(expr)
    return en if lang == "en" else zh


def _q(value, unit) -> str:
    return number_text(value, unit)


def _en(word: str) -> str:
    """English for a milestone kind or scope (``vocab.yaml`` → ``english``), else the word."""
    return vocabulary().english.get(word, word)


@singledispatch
def _pair(expr: ast.Expr) -> Pair:
    raise TypeError(f"no explanation for {type(expr).__name__}")


@_pair.register
def _(e: ast.Number) -> Pair:
    return f"数值为{_q(e.value, e.unit)}", f"the value {_q(e.value, e.unit)}"


@_pair.register
def _(e: ast.Comparison) -> Pair:
    zh, en = _OPS[e.op]
    return f"{zh}{_q(e.value, e.unit)}", f"{en} {_q(e.value, e.unit)}"


@_pair.register
def _(e: ast.Grade) -> Pair:
    name = GRADE_NAMES[e.level]
    roman = name.removesuffix("类").replace("劣", "worse than ")
    if e.op:
        return f"水质达到或优于{name}", f"water quality class {roman} or better"
    return f"水质为{name}", f"water quality class {roman}"


@_pair.register
def _(e: ast.Scoped) -> Pair:
    parts = [(s, _pair(b)) for s, b in e.branches]
    return (
        "；".join(f"{s}：{zh}" for s, (zh, _en) in parts),
        "; ".join(f"for {_en(s)}: {en}" for s, (_zh, en) in parts),
    )


@_pair.register
def _(e: ast.AnyOf) -> Pair:
    parts = [_pair(o) for o in e.options]
    return "，或".join(p[0] for p in parts), ", or ".join(p[1] for p in parts)


@_pair.register
def _(e: ast.AllOf) -> Pair:
    parts = [_pair(p) for p in e.parts]
    return "，并且".join(p[0] for p in parts), ", and ".join(p[1] for p in parts)


@_pair.register
def _(e: ast.Trend) -> Pair:
    zh, en = _TRENDS[e.direction]
    szh, sen = _STRICT[e.strictness]
    return f"{e.word}（{szh.format(d=zh)}）", sen.format(d=en)


@_pair.register
def _(e: ast.ChangeFromBase) -> Pair:
    zh, en = _CHANGE[e.direction]
    base_zh = f"较{e.base_year}年" if e.base_year else (e.basis or "")
    base_en = f" against {e.base_year}" if e.base_year else (f" ({e.basis})" if e.basis else "")
    op_zh, op_en = _OPS[e.op] if e.op else ("", "")
    amount = _q(e.amount, e.unit)
    return f"{base_zh}{zh}{op_zh}{amount}", f"a {en} of {op_en} {amount}{base_en}".replace(
        "  ", " "
    )


@_pair.register
def _(e: ast.AnnualRate) -> Pair:
    zh, en = _CHANGE[e.direction]
    op_zh, op_en = _OPS[e.op] if e.op else ("", "")
    amount = _q(e.amount, e.unit)
    return f"年均{zh}{op_zh}{amount}", f"an average annual {en} of {op_en} {amount}".replace(
        "  ", " "
    )


@_pair.register
def _(e: ast.ReferenceComparison) -> Pair:
    mzh, men = _MEASURE[e.measure]
    zh, en = _OPS[e.op]
    return f"{mzh}{zh}{e.reference}", f"{men} {en} {_en(e.reference)}"


@_pair.register
def _(e: ast.Quota) -> Pair:
    return (
        f"完成上级下达的目标（“{e.phrase}”，具体数值由上级下达）",
        f"meet the target assigned from above (“{e.phrase}”; the figure comes from above)",
    )


@_pair.register
def _(e: ast.Achievement) -> Pair:
    if e.share is not None:
        return f"完成目标任务的{_q(e.share, '%')}", f"{_q(e.share, '%')} of the target achieved"
    zh, en = ("未完成", "not achieved") if e.met is False else ("已完成", "achieved")
    if e.of is None:
        return zh, en
    if isinstance(e.of, ast.Quota):
        return (
            f"{zh}上级下达的目标（“{e.of.phrase}”）",
            f"{en}: the target assigned from above (“{e.of.phrase}”)",
        )
    of_zh, of_en = _pair(e.of)
    return f"{zh}：{of_zh}", f"{en}: {of_en}"


@_pair.register
def _(e: ast.Milestone) -> Pair:
    zh, en = _STATE[e.state]
    obj = e.object or ""
    return f"{zh}{e.kind}{obj}", f"{en}{_en(e.kind)}{(' ' + obj) if obj else ''}"


@_pair.register
def _(e: ast.Protection) -> Pair:
    zh = "、".join(s + v for s, v in e.clauses)
    en = ", ".join(f"{_en(s)} {_en(v)}" for s, v in e.clauses)
    return f"保护要求：{zh}", f"protection: {en}"


@_pair.register
def _(e: ast.Qualitative) -> Pair:
    return f"程度为“{e.word}”", f"qualitative level “{e.word}”"


@_pair.register
def _(e: ast.Absence) -> Pair:
    return f"没有{e.subject}", f"no {e.subject} present"


@_pair.register
def _(e: ast.Cumulative) -> Pair:
    amount = _q(e.value, e.unit)
    return f"{e.years}年累计{amount}", f"{amount} cumulated over {e.years} years"


@_pair.register
def _(e: ast.Items) -> Pair:
    parts = [(label, _pair(x)) for label, x in e.items]
    return (
        "；".join(f"{label}{zh}" for label, (zh, _en) in parts),
        "; ".join(f"item {label}: {en}" for label, (_zh, en) in parts),
    )


@_pair.register
def _(e: ast.NotApplicable) -> Pair:
    return f"不适用（“{e.word}”）", f"not applicable (“{e.word}”)"


@_pair.register
def _(e: ast.NoData) -> Pair:
    return f"无数据（“{e.word}”）", f"no data (“{e.word}”)"


@_pair.register
def _(e: ast.Annotated) -> Pair:
    zh, en = _pair(e.expr)
    return f"{zh}（注：{e.note}）", f"{en} (note: {e.note})"


@_pair.register
def _(e: ast.Named) -> Pair:
    zh, en = _pair(e.expr)
    return f"{e.name}：{zh}", f"{e.name}: {en}"


@_pair.register
def _(e: ast.Series) -> Pair:
    pts = [(y, _pair(v)) for y, v in e.points]
    return (
        "，".join(f"{y}年{zh.removeprefix('数值为')}" for y, (zh, _en) in pts),
        ", ".join(f"{y}: {en.removeprefix('the value ')}" for y, (_zh, en) in pts),
    )


@_pair.register
def _(e: ast.AtYear) -> Pair:
    zh, en = _pair(e.expr)
    return f"{e.year}年：{zh}", f"in {e.year}: {en}"


@_pair.register
def _(e: ast.Statement) -> Pair:
    zh: list[str] = []
    en: list[str] = []
    for label_zh, label_en, part in (
        ("目标", "target", e.target),
        ("实际", "actual", e.actual),
        ("自述结论", "stated verdict", e.verdict),
    ):
        if part is not None:
            pzh, pen = _pair(part)
            zh.append(f"{label_zh}：{pzh}")
            en.append(f"{label_en}: {pen}")
    return "；".join(zh), "; ".join(en)


@_pair.register
def _(e: ast.Text) -> Pair:
    return f"无法自动理解：“{e.raw}”", f"not understood automatically: “{e.raw}”"
