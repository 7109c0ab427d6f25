"""Rules on key-project tables (重点项目表): nature vs start year, periods, working, duplicates.

* 新建/续建: a 续建 (continuing) project was under way before the plan period, so it starts
  before the period's first year; a 新建 (new) one starts within the period.
* A project whose end is before its start, or whose period misses the plan period.
* An investment cell with its working (``4186（34880*12%）``): the working must give the figure.
* The same project name twice in one table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from ecociv.check.data import vocab
from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.period import plan_period
from ecociv.check.view import CheckInput, project_location, project_rows

_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")
_WORKING = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([*×xX/÷+\-])\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


def nature_vs_start(data: CheckInput) -> list[Finding]:
    """新建/续建 against the start year and the plan's first year."""
    first = data.plan.metadata.period_start
    if first is None:
        return []
    words = vocab()["project_nature"]
    found = []
    for table, index, row in project_rows(data.plan):
        if not row.nature or row.period_start is None:
            continue
        nature = row.nature.strip()
        continuing = any(nature.startswith(w) for w in words["continuing"])
        new = any(nature.startswith(w) for w in words["new"])
        if continuing and row.period_start >= first:
            zh = f"项目“{row.name}”标为续建，但开工年份 {row.period_start} 不早于规划期首年 {first}"
            en = (
                f"project “{row.name}” is marked 续建 (continuing) but starts in {row.period_start}, "
                f"not before the plan's first year {first}"
            )
            fix = ("改为新建，或核对开工年份", "mark it 新建 (new), or correct the start year")
        elif new and row.period_start < first:
            zh = f"项目“{row.name}”标为新建，但开工年份 {row.period_start} 早于规划期首年 {first}"
            en = (
                f"project “{row.name}” is marked 新建 (new) but starts in {row.period_start}, "
                f"before the plan's first year {first}"
            )
            fix = (
                "改为续建，或核对开工年份",
                "mark it 续建 (continuing), or correct the start year",
            )
        else:
            continue
        start_key = "period_start" if "period_start" in row.cells else "period"
        locations = [
            project_location(table, index, row, "nature"),
            project_location(table, index, row, start_key),
        ]
        values = {"nature": nature, "start": row.period_start, "plan_start": first}
        found.append(
            finding(
                "project.nature_vs_start",
                locations,
                values,
                zh=zh,
                en=en,
                fix_zh=fix[0],
                fix_en=fix[1],
            )
        )
    return found


def periods(data: CheckInput) -> list[Finding]:
    """An end before the start; a period that misses the plan period altogether."""
    period = plan_period(data)
    found = []
    for table, index, row in project_rows(data.plan):
        start, end = row.period_start, row.period_end
        keys = ["period"] if "period" in row.cells else ["period_start", "period_end"]
        locations = [project_location(table, index, row, k) for k in keys if k in row.cells]
        if start is not None and end is not None and end < start:
            found.append(
                finding(
                    "project.end_before_start",
                    locations,
                    {"start": start, "end": end},
                    zh=f"项目“{row.name}”完工年份 {end} 早于开工年份 {start}",
                    en=f"project “{row.name}” ends in {end}, before it starts in {start}",
                    fix_zh="核对实施年限",
                    fix_en="check the period",
                )
            )
            continue
        if period is None:
            continue
        first_year, last_year = period
        last = end if end is not None else start
        if (last is not None and last < first_year) or (start is not None and start > last_year):
            found.append(
                finding(
                    "project.period_outside_plan",
                    locations,
                    {"start": start, "end": end, "plan": [first_year, last_year]},
                    zh=(
                        f"项目“{row.name}”实施期 {start}–{end} 与规划期 "
                        f"{first_year}–{last_year} 没有交集"
                    ),
                    en=(
                        f"project “{row.name}” runs {start}–{end}, outside the plan period "
                        f"{first_year}–{last_year}"
                    ),
                    fix_zh="核对实施年限，或移出本规划项目表",
                    fix_en="check the period, or move the project out of this plan's table",
                )
            )
    return found


def evaluate_working(note: str) -> Decimal | None:
    """The value of a one-operator working such as ``34880*12%`` (= 4185.6), or None."""
    match = _WORKING.match(note.replace("×", "*"))
    if match is None:
        return None
    left, op, right, percent = match.groups()
    try:
        a, b = Decimal(left), Decimal(right)
    except InvalidOperation:
        return None
    if percent:
        b = b / 100
    if op in "*xX×":
        return a * b
    if op in "/÷":
        return a / b if b else None
    return a + b if op == "+" else a - b


def formula_cells(data: CheckInput) -> list[Finding]:
    """An investment figure written with its working (``4186（34880*12%）``) that the working
    does not give; a gap below the rounding limit is a note."""
    rounding = Decimal(str(vocab()["money"]["rounding_wan_yuan"]))
    found = []
    for table, index, row in project_rows(data.plan):
        figure = _LEADING_NUMBER.match(row.investment_text or "")
        if not row.investment_note or figure is None:
            continue
        computed = evaluate_working(row.investment_note)
        if computed is None:
            continue
        written = Decimal(figure.group(1))
        gap = abs(computed - written)
        if gap == 0:
            continue
        rounded = gap < rounding
        shown, result = f"{written.normalize():f}", f"{computed.normalize():f}"
        found.append(
            finding(
                "project.formula_cell",
                [project_location(table, index, row, "investment")],
                {"written": shown, "working": row.investment_note, "computed": result},
                severity="note" if rounded else None,
                zh=f"项目“{row.name}”投资：算式 {row.investment_note} = {result}，与所填 {shown} 不一致",
                en=(
                    f"project “{row.name}” investment: the working {row.investment_note} "
                    f"gives {result}, not {shown}"
                ),
                cause=("所填数值是算式结果取整", "the figure is the working rounded")
                if rounded
                else None,
                fix_zh="填写算式的结果，或去掉算式并注明取整",
                fix_en="write the working's result, or drop the working and say the figure is rounded",
            )
        )
    return found


def duplicates(data: CheckInput) -> list[Finding]:
    """The same project name more than once in one project table."""
    found = []
    by_table: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = {}
    for table, index, row in project_rows(data.plan):
        key = "".join(row.name.split())
        by_table[table.index][key].append(index)
        rows[(table.index, index)] = (table, row)
    for table_index, names in by_table.items():
        for name, indices in names.items():
            if len(indices) < 2:
                continue
            locations = [
                project_location(*rows[(table_index, i)][:1], i, rows[(table_index, i)][1])
                for i in indices
            ]
            found.append(
                finding(
                    "project.duplicate",
                    locations,
                    {"name": name, "rows": indices},
                    zh=f"项目“{name}”在项目表中出现 {len(indices)} 次",
                    en=f"project “{name}” appears {len(indices)} times in the project table",
                    fix_zh="合并为一项，或在名称中写明期次（一期、二期）",
                    fix_en="merge the rows, or name the phases (一期, 二期) in the names",
                )
            )
    return found


RULES = (nature_vs_start, periods, formula_cells, duplicates)
