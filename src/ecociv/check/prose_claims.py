"""Body text against the tables: a figure the text gives for an indicator that the table
states differently, or in another unit (a % indicator given as a score, 分).

A sentence names an indicator when it holds one of the row's terms (``names.text_terms``)
followed, through connecting words only (``vocab.yaml`` prose.connectors: 达到, 降至, 保持在 …),
by a figure.  The figure's year is the one written with it, or the last year named before
the indicator in the sentence; a figure without a year is a target only when the row has a
single target column and the sentence speaks of the future.  A term that names rows of
different cores is ambiguous and not read.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, partial

from ecociv.check.data import vocab
from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.names import identity, text_terms
from ecociv.check.same_quantity import rounding_cause, within_approximation
from ecociv.check.text import fold, strip_brackets
from ecociv.check.view import (
    CheckInput,
    RowRef,
    expr_of,
    in_row_unit,
    indicator_rows,
    prose_location,
    quantity,
)
from ecociv.expr.vocab import vocabulary

_SENTENCE = re.compile(r"[^。；;！!？?]+")
_YEAR = re.compile(r"(?<!较)(?<!比)(?<!与)(20\d\d)年")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:区|县|镇|乡|街道|村)$")
_CHANGE = re.compile(r"^(?:提升|提高|上升|下降|降低|增加|增长|降)(?:到|至)")


@cache
def _figure() -> re.Pattern[str]:
    words = vocab()["prose"]
    connectors = "|".join(sorted(map(re.escape, words["connectors"]), key=len, reverse=True))
    units = "|".join(sorted(map(re.escape, [*vocabulary().units, "分"]), key=len, reverse=True))
    return re.compile(
        rf"^(?:{connectors})*(?:(20\d\d)年(?:的|底|末)?)?(?:{connectors})*(约)?(\d+(?:\.\d+)?)(?!\d)\s*({units})?(以上|以下|左右)?"
    )


@cache
def _masks() -> re.Pattern[str]:
    return re.compile("|".join(vocab()["prose"]["masks"]))


def _other_place(before: str, region: str | None) -> bool:
    """Whether the words just before an indicator name a place other than the plan's region
    (``柯桥区森林覆盖率`` in a city plan; ``全国``, ``全省``; ``全市`` in a district or county
    plan), whose figures are not the table's."""
    wider = ("全国", "全省", *(("全市",) if region and region[-1] in "区县" else ()))
    if any(word in before for word in wider):
        return True
    match = _PLACE.search(before)
    if match is None or match.group(0)[0] in "全我本":
        return False
    return not (region and (match.group(0) in region or region.endswith(match.group(0))))


def _readings(sentence: str, term: str, region: str | None = None):
    """(year or None, value, unit, end) for each figure that follows *term* in *sentence*."""
    start = sentence.find(term)
    while start >= 0:
        before = sentence[max(0, start - 8) : start]
        if _other_place(before, region) or before[-2:] in vocab()["prose"]["scope_modifiers"]:
            start = sentence.find(term, start + 1)
            continue
        year_before = None
        for match in _YEAR.finditer(sentence[:start]):
            year_before = int(match.group(1))
        rest = sentence[start + len(term) :]
        figure = _figure().match(rest)
        if figure:
            year = int(figure.group(1)) if figure.group(1) else year_before
            yield year, Decimal(figure.group(3)), figure.group(4), figure.group(0)
            tail = rest[figure.end() :]
            more = _CHANGE.match(tail)
            if more:
                second = _figure().match(tail[more.end() :])
                if second and second.group(1):
                    yield (
                        int(second.group(1)),
                        Decimal(second.group(3)),
                        second.group(4),
                        second.group(0),
                    )
        start = sentence.find(term, start + 1)


def _columns_for(ref: RowRef, year: int | None, sentence: str) -> tuple[list[str], str | None]:
    """The columns a figure may be compared with, and the one it is reported against.

    With a year: the column of that year.  Without: the baseline and targets all count as
    agreeing, and a disagreeing figure is reported against the single target only when the
    sentence speaks of the future."""
    if year is not None:
        for column in ref.table.columns:
            if (
                column.year == year
                and column.key in ref.row.cells
                and column.role in ("baseline", "value", "target")
            ):
                return [column.key], column.key
        return [], None
    targets = ref.columns("target")
    future = (
        any(w in sentence for w in vocab()["prose"]["future_words"]) and "未达到" not in sentence
    )
    keys = [c.key for c in (*ref.columns("baseline"), *ref.columns("value"), *targets)]
    return keys, (targets[0].key if future and len(targets) == 1 else None)


def _in_canonical(value: Decimal, written: str | None) -> tuple[Decimal, str | None]:
    """A figure of the text in the canonical unit of what it is written in (1.2万吨 → 12000 t)."""
    if written is None:
        return value, None
    known = vocabulary().units.get(written)
    return (value * known.factor, known.canonical) if known is not None else (value, written)


def prose_values(data: CheckInput) -> list[Finding]:
    refs = [ref for ref in indicator_rows(data.plan) if ref.row.applicable]
    by_term: dict[str, list[RowRef]] = {}
    for ref in refs:
        for term in text_terms(ref.row.name):
            by_term.setdefault(term, []).append(ref)
    found = []
    for line in data.prose:
        for sentence_match in _SENTENCE.finditer(line.text):
            raw = sentence_match.group(0)
            sentence = _masks().sub("※", strip_brackets(fold(raw)))
            used: set[tuple] = set()
            for term in sorted(by_term, key=len, reverse=True):
                if term not in sentence:
                    continue
                rows = by_term[term]
                if len({identity(r.row.name) for r in rows}) != 1:
                    continue
                for year, written, written_unit, quote in _readings(
                    sentence, term, data.plan.metadata.region
                ):
                    value, prose_unit = _in_canonical(written, written_unit)
                    approx = any(w in quote for w in vocab()["approximate"]["words"])
                    for ref in rows:
                        item = _reading_against(
                            ref, year, value, prose_unit, sentence, used, approx
                        )
                        if item is not None:
                            found.append(item(line, term + quote))
    return found


def _agrees(table: Decimal, text: Decimal, approximate: bool) -> bool:
    """The same figure, one the other rounded, or within the tolerance of an approximate one."""
    return (
        table == text
        or rounding_cause(table, text) is not None
        or (approximate and within_approximation(table, text))
    )


def _reading_against(
    ref: RowRef,
    year: int | None,
    value: Decimal,
    prose_unit: str | None,
    sentence: str,
    used: set,
    approximate: bool = False,
):
    """The comparison of one figure of the text with one row, or None when there is nothing
    to compare (no column for it, the same figure, its rounding, already compared)."""
    keys, key = _columns_for(ref, year, sentence)
    if key is None or (id(ref.row), key, value) in used:
        return None
    stated = [quantity(expr_of(ref.row.cells[k])) for k in keys]
    agrees = any(
        q is not None and _agrees(in_row_unit(q, ref.row.unit).value, value, approximate)
        for q in stated
    )
    if agrees and prose_unit not in vocab()["scores"]["units"]:
        return None
    q = quantity(expr_of(ref.row.cells[key]))
    if q is None:
        return None
    used.add((id(ref.row), key, value))
    q = in_row_unit(q, ref.row.unit)
    return partial(_compare, ref, key, q.value, q.unit, value, prose_unit, year=year)


def _compare(ref, key, table_value, table_unit, value, prose_unit, line, quote, *, year):
    location = prose_location(line, quote)
    cell = ref.row.cells[key]
    if prose_unit in vocab()["scores"]["units"] and table_unit == "%":
        if value != table_value:
            return None
        return finding(
            "unit.score_as_percent",
            [ref.location(key), ref.location("unit"), location],
            {"name": ref.row.name, "value": str(value), "table_unit": "%", "text_unit": prose_unit},
            zh=f"“{ref.row.name}”在表中为 {cell.text}（%），正文写作 {value}{prose_unit}",
            en=f"“{ref.row.name}” is {cell.text} (%) in the table but {value} {prose_unit} (a score) in the text",
            fix_zh="确定该指标是得分还是百分比，统一单位",
            fix_en="decide whether the indicator is a score or a percentage and use one unit",
        )
    if prose_unit and table_unit and prose_unit != table_unit:
        return None
    if value == table_value:
        return None
    when = f"{year} 年" if year else "目标"
    return finding(
        "prose.value",
        [ref.location(key), location],
        {
            "name": ref.row.name,
            "year": year,
            "table": cell.text,
            "text": f"{value}{prose_unit or ''}",
        },
        zh=f"{when}“{ref.row.name}”：表中为 {cell.text}，正文为 {value}{prose_unit or ''}",
        en=f"“{ref.row.name}” ({year or 'target'}): {cell.text} in the table, {value}{prose_unit or ''} in the text",
        fix_zh="核实数据，正文与表格采用同一数值",
        fix_en="check the figure and state the same value in the text and the table",
    )


RULES = (prose_values,)
