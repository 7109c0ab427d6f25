"""Arithmetic written in text: count × size = total, per year × years = total, parts of a
total, and stated shares.  Read in body paragraphs, box text and projects' content cells.

* ``拟建6套…每套处理废气量约30000m3/h，总设计处理风量约150000 m3/h``: 6 × 30 000 ≠ 150 000;
* ``每年重点培育10个左右…5年建成40个左右``: 10 × 5 ≠ 40;
* ``新建31个站，其中A共11个，B共20个``: parts may fall short of a total (a list may be partial)
  but never exceed it;
* ``9项主要指标，其中完成的指标6项、占66.7%``: 6 / 9 = 66.7 %.

Approximate figures (约, 左右) are allowed the relative tolerances of ``vocab.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from ecociv.check.data import vocab
from ecociv.check.findings import Finding, Location
from ecociv.check.kinds import finding
from ecociv.check.text import cell_line_location
from ecociv.check.view import CheckInput, ProseLine, project_location, project_rows, prose_location
from ecociv.model import Cell, PlanTable, ProjectRow

_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"([a-zA-Zµμ]+[23³²]?(?:/[a-zA-Z]+)?|万?立方米(?:/(?:日|天|小时|h|d))?|万?吨(?:/(?:日|天|年|d|a))?|平方米|千瓦|兆瓦|公里|千米|公顷|亩|米)"
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence of some text and how to locate a quote of it."""

    text: str
    locate: Callable[[str], Location]


@dataclass(frozen=True, slots=True)
class _At:
    """Locates a quote found in the text of one sentence of a source text."""

    locate_at: Callable[[int, str], Location]
    start: int
    sentence: str

    def __call__(self, quote: str) -> Location:
        return self.locate_at(self.start + max(self.sentence.find(quote), 0), quote)


def _sentences(text: str, locate_at: Callable[[int, str], Location]) -> Iterator[Span]:
    for match in _SENTENCE.finditer(text):
        yield Span(match.group(0), _At(locate_at, match.start(), match.group(0)))


def spans(data: CheckInput) -> Iterator[Span]:
    """Every sentence of the body text, the boxes and the projects' content cells."""
    for line in data.prose:
        yield from _sentences(line.text, partial(_in_prose, line))
    for table in data.plan.tables:
        if table.kind not in ("box", "other"):
            continue
        for row in table.rows:
            for cell in row if isinstance(row, list) else []:
                yield from _sentences(cell.text, partial(_in_box, table, cell))
    for table, index, row in project_rows(data.plan):
        if row.content:
            yield from _sentences(row.content, partial(_in_content, table, index, row))


def _in_prose(line: ProseLine, _offset: int, quote: str) -> Location:
    return prose_location(line, quote)


def _in_box(table: PlanTable, cell: Cell, offset: int, quote: str) -> Location:
    return cell_line_location(cell, offset, quote, table=table.index, caption=table.caption)


def _in_content(
    table: PlanTable, index: int, row: ProjectRow, _offset: int, quote: str
) -> Location:
    return project_location(table, index, row, "content").model_copy(update={"text": quote})


def _tolerance(*texts: str, loose: bool = False) -> Decimal:
    words = vocab()["approximate"]
    approx = any(w in t for t in texts for w in words["words"])
    if loose and approx:
        return Decimal(str(words["tolerance_per_year"]))
    return Decimal(str(words["tolerance_approx"] if approx else words["tolerance_exact"]))


def _off(expected: Decimal, stated: Decimal, tolerance: Decimal) -> bool:
    return abs(expected - stated) > tolerance * max(abs(stated), Decimal(1))


def _classifiers() -> str:
    return "[" + "".join(dict.fromkeys(vocab()["arithmetic"]["classifiers"])) + "]"


def product(data: CheckInput) -> list[Finding]:
    """``N套 … 每套 X 单位 … 总… Y 单位`` with N × X ≠ Y."""
    cls = _classifiers()
    count_re = re.compile(rf"{_NUM}\s*({cls})")
    each_re = re.compile(rf"每({cls})[^，,。；\d]{{0,16}}?(约)?\s*{_NUM}\s*{_UNIT}")
    found = []
    for span in spans(data):
        for each in each_re.finditer(span.text):
            classifier, size, unit = each.group(1), Decimal(each.group(3)), each.group(4)
            counts = [
                m for m in count_re.finditer(span.text[: each.start()]) if m.group(2) == classifier
            ]
            total_re = re.compile(
                rf"(?:总|合计|共计)[^，,。；\d]{{0,12}}?(约)?\s*{_NUM}\s*{re.escape(unit)}"
            )
            total = total_re.search(span.text, each.end())
            if not counts or total is None:
                continue
            count = Decimal(counts[-1].group(1))
            stated = Decimal(total.group(2))
            expected = count * size
            quote = span.text[counts[-1].start() : total.end()]
            if not _off(expected, stated, _tolerance(quote)):
                continue
            found.append(
                finding(
                    "arithmetic.product",
                    [span.locate(quote)],
                    {
                        "count": str(count),
                        "each": str(size),
                        "unit": unit,
                        "stated_total": str(stated),
                        "computed": str(expected),
                    },
                    zh=f"{count}{classifier} × 每{classifier} {size}{unit} = {expected}{unit}，而文中总量为 {stated}{unit}",
                    en=f"{count} × {size} {unit} each = {expected} {unit}, but the text states a total of {stated} {unit}",
                    fix_zh="核对数量、单项规模与总量",
                    fix_en="check the count, the size of each and the total",
                )
            )
    return found


def per_year(data: CheckInput) -> list[Finding]:
    """``每年…N个 … K年…M个`` with N × K ≠ M (same counting word)."""
    cls = _classifiers()
    yearly_re = re.compile(rf"每年[^，,。；\d]{{0,10}}?{_NUM}\s*({cls})")
    span_re = re.compile(rf"(\d{{1,2}})\s*年(?:内|间|来)?[^，,。；\d]{{0,8}}?{_NUM}\s*({cls})")
    found = []
    for span in spans(data):
        for yearly in yearly_re.finditer(span.text):
            n, classifier = Decimal(yearly.group(1)), yearly.group(2)
            over = next(
                (m for m in span_re.finditer(span.text, yearly.end()) if m.group(3) == classifier),
                None,
            )
            if over is None:
                continue
            years, stated = Decimal(over.group(1)), Decimal(over.group(2))
            expected = n * years
            quote = span.text[yearly.start() : over.end()]
            if not _off(expected, stated, _tolerance(quote, loose=True)):
                continue
            found.append(
                finding(
                    "arithmetic.per_year",
                    [span.locate(quote)],
                    {
                        "per_year": str(n),
                        "years": str(years),
                        "stated_total": str(stated),
                        "computed": str(expected),
                    },
                    zh=f"每年 {n}{classifier} × {years} 年 = {expected}{classifier}，而文中为 {stated}{classifier}",
                    en=f"{n} a year × {years} years = {expected}, but the text states {stated}",
                    fix_zh="核对每年数量、年数与总数",
                    fix_en="check the yearly number, the years and the total",
                )
            )
    return found


def parts_sum(data: CheckInput) -> list[Finding]:
    """``总数 N单位，其中 A a单位、B b单位`` whose parts add up to more than N."""
    cls = _classifiers()
    whole_re = re.compile(rf"{_NUM}\s*({cls}|{_UNIT[1:-1]})[^，,。；\d]{{0,20}}?[，,]\s*其中")
    found = []
    for span in spans(data):
        for whole in whole_re.finditer(span.text):
            total, unit = Decimal(whole.group(1)), whole.group(2)
            part_re = re.compile(rf"(?<![\d.]){_NUM}\s*{re.escape(unit)}")
            tail = span.text[whole.end() :]
            parts = [Decimal(m.group(1)) for m in part_re.finditer(tail)]
            if len(parts) < 2 or any(p > total for p in parts):
                continue
            stated = sum(parts, Decimal(0))
            if stated <= total:
                continue
            quote = span.text[whole.start() :]
            found.append(
                finding(
                    "arithmetic.parts_sum",
                    [span.locate(quote)],
                    {
                        "total": str(total),
                        "parts": [str(p) for p in parts],
                        "sum": str(stated),
                        "unit": unit,
                    },
                    zh=f"分项 {' + '.join(map(str, parts))} = {stated}{unit}，超过总数 {total}{unit}",
                    en=f"the parts {' + '.join(map(str, parts))} = {stated} {unit} exceed the total {total} {unit}",
                    fix_zh="核对总数与各分项",
                    fix_en="check the total and its parts",
                )
            )
    return found


def share(data: CheckInput) -> list[Finding]:
    """``N项…其中…M项、占P%`` with M / N ≠ P % (after rounding to the digits written)."""
    whole_re = re.compile(rf"{_NUM}\s*(项|个)[^。；]*?其中")
    part_re = re.compile(rf"{_NUM}\s*(项|个)[、，,]?\s*占(?:比)?\s*{_NUM}\s*%")
    found = []
    for span in spans(data):
        whole = whole_re.search(span.text)
        if whole is None:
            continue
        total = Decimal(whole.group(1))
        if total == 0:
            continue
        for part in part_re.finditer(span.text, whole.end()):
            if part.group(2) != whole.group(2):
                continue
            count, stated = Decimal(part.group(1)), Decimal(part.group(3))
            exponent = stated.as_tuple().exponent
            digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            computed = count / total * 100
            if abs(computed - stated) <= Decimal(5) / Decimal(10) ** (digits + 1):
                continue
            quote = part.group(0)
            found.append(
                finding(
                    "arithmetic.share",
                    [span.locate(quote)],
                    {
                        "count": str(count),
                        "total": str(total),
                        "stated_percent": str(stated),
                        "computed": f"{computed:.2f}",
                    },
                    zh=f"{count}/{total} = {computed:.1f}%，而文中为 {stated}%",
                    en=f"{count}/{total} = {computed:.1f}%, but the text says {stated}%",
                    fix_zh="核对数量与占比",
                    fix_en="check the counts and the share",
                )
            )
    return found


RULES = (product, per_year, parts_sum, share)
