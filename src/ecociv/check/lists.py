"""A list of areas in the text (``围绕A、B、C等四大领域``) against the tables: the number said
against the items listed, and the items against the areas (领域 of an indicator table, the
top category of a project table) of the table that shares most of them."""

from __future__ import annotations

import re

from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.text import fold, split_list
from ecociv.check.view import CheckInput, prose_location, table_location
from ecociv.model import IndicatorRow, PlanTable, ProjectRow
from ecociv.standards.matcher import dice

_NUMERALS = {
    "两": 2,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_LIST = re.compile(
    r"(?:围绕|包括|分为|涵盖|包含|通过|从|聚焦)((?:[^、，,。；;：:]{2,20}、){1,11}[^、，,。；;：:]{2,30}?)(?:等)*"
    r"([一二三四五六七八九十两]|\d{1,2})大(领域|类|体系|板块|方面|任务|工程)"
)
_SUFFIX = re.compile(r"(?:重点工程|重大工程|工程类|体系|领域|板块|方面|工程|类|建设)+$")
_JOINERS = re.compile(r"[和及与]")
SIMILAR = 0.7  # bigram Dice of two area names that differ only in a word or two


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMERALS[text]


def _core(text: str) -> str:
    return _JOINERS.sub("", _SUFFIX.sub("", fold(text)))


def _items(body: str, stated: int) -> list[str]:
    items = split_list(body, "、")
    if len(items) == stated - 1 and _JOINERS.search(items[-1]):
        last = _JOINERS.split(items[-1], maxsplit=1)
        items = [*items[:-1], *last]
    return items


def _areas(table: PlanTable) -> list[str]:
    values: list[str | None] = []
    for row in table.rows:
        if isinstance(row, IndicatorRow):
            values.append(row.domain)
        elif isinstance(row, ProjectRow):
            values.append(row.category_path[0] if row.category_path else None)
    return list(dict.fromkeys(v for v in values if v))


def _same(a: str, b: str) -> bool:
    x, y = _core(a), _core(b)
    return len(x) >= 2 and len(y) >= 2 and (x in y or y in x or dice(x, y) >= SIMILAR)


def category_lists(data: CheckInput) -> list[Finding]:
    tables = [(t, _areas(t)) for t in data.plan.tables if t.kind in ("indicator", "project")]
    found = []
    for line in data.prose:
        for match in _LIST.finditer(line.text):
            stated = _number(match.group(2))
            items = _items(match.group(1), stated)
            quote = match.group(0)
            if len(items) != stated:
                found.append(
                    finding(
                        "prose.category_list",
                        [prose_location(line, quote)],
                        {"stated": stated, "listed": items},
                        zh=f"正文称{stated}大{match.group(3)}，实际列出 {len(items)} 项：{'、'.join(items)}",
                        en=f"the text says {stated} areas but lists {len(items)}: {'、'.join(items)}",
                        fix_zh="核对所述数目与所列各项",
                        fix_en="check the number stated and the items listed",
                    )
                )
                continue
            best = max(
                (
                    (t, areas, sum(any(_same(i, a) for a in areas) for i in items))
                    for t, areas in tables
                ),
                key=lambda entry: entry[2],
                default=None,
            )
            if best is None or best[2] * 2 < len(items):
                continue
            table, areas, _hits = best
            missing = [i for i in items if not any(_same(i, a) for a in areas)]
            extra = [a for a in areas if not any(_same(i, a) for i in items)]
            if not missing and not extra:
                continue
            found.append(
                finding(
                    "prose.category_list",
                    [prose_location(line, quote), table_location(table)],
                    {
                        "listed": items,
                        "table": areas,
                        "not_in_table": missing,
                        "not_in_text": extra,
                    },
                    zh=(
                        f"正文所列{match.group(3)}与{table.caption}不一致：表中没有 {'、'.join(missing) or '—'}；"
                        f"正文未列 {'、'.join(extra) or '—'}"
                    ),
                    en=(
                        f"the areas listed in the text differ from {table.caption}: not in the table "
                        f"{'、'.join(missing) or '—'}; not in the text {'、'.join(extra) or '—'}"
                    ),
                    fix_zh="统一正文与表格的分类",
                    fix_en="use the same areas in the text and the table",
                )
            )
    return found


RULES = (category_lists,)
