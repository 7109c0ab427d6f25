"""Notices that travel with every GEP result: what is unverified and what was assumed.

Each notice is a pair (Chinese, English).  They are shown before any number, in the text output,
the JSON and the result workbook (docs/gep.md, "How the user sees it").
"""

from __future__ import annotations

from collections.abc import Collection

from ecociv.gep.catalog import MethodSet
from ecociv.gep.inputs import AccountingInputs
from ecociv.gep.prices import Price

Notice = tuple[str, str]


def method_notices(method: MethodSet) -> list[Notice]:
    """The unverified parts of *method*: the set, its items, their notes, what it leaves out."""
    notices: list[Notice] = []
    if not method.verified:
        notices.append(
            (
                f"核算方法集 {method.document} 未经原文核实：条目、公式与参数取自二手资料或回忆，结果仅供参考。",
                f"The method set {method.document} is not checked against its text: items, formulas and parameters come from secondary sources or recollection; use the result with care.",
            )
        )
    unverified = method.unverified()
    if unverified:
        notices.append(
            (
                "未核实条目：" + "、".join(f"{m.item.zh}（{m.item.code}）" for m in unverified),
                "Unverified items: " + ", ".join(m.item.code for m in unverified),
            )
        )
    for m in method.items:
        if m.note_zh:
            notices.append((f"{m.item.zh}：{m.note_zh}", f"{m.item.en}: {m.note_en}"))
    for entry in method.not_covered:
        notices.append(
            (
                f"未纳入：{entry.get('zh', '')}（{entry.get('note', '')}）",
                f"Not covered: {entry.get('en', '')} ({entry.get('note_en', '')})",
            )
        )
    return notices


def price_notices(
    used: Collection[Price], year: int, given: AccountingInputs, notices: list[Notice]
) -> None:
    """Add to *notices*: prices of other years used without a deflator; parameters whose
    source is secondary (S) or a recollection (R)."""
    other = sorted({p.year for p in used if p.is_price and p.year is not None and p.year != year})
    if other and given.deflator is None:
        notices.append(
            (
                f"未提供价格指数：价格年份 {other} 的单价按原值用于 {year} 年，未平减",
                f"No price index given: prices of the years {other} are used at face value for {year}, not deflated",
            )
        )
    for p in used:
        if p.marker != "P":
            notices.append(
                (
                    f"参数 {p.zh}（{p.key}）来自{'二手资料' if p.marker == 'S' else '未经核实的回忆'}：{p.source}",
                    f"Parameter {p.key} comes from a {'secondary source' if p.marker == 'S' else 'recollection not checked'}: {p.source}",
                )
            )
