"""Boxes (专栏) against the project table: projects a box lists that the table lacks, and works
a box files under a different area (领域) than the table does.

A box counts as a project list only when it names at least three of the table's projects and
at least half of the items it lists are in the table; a box of tasks and aims is not
compared.  Only list lines (``森林生态系统保护工程：A、B；C。``) and area tables (工程领域 |
重点项目) are read: sentences are tasks, not project names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecociv.check.findings import Finding, Location
from ecociv.check.kinds import finding
from ecociv.check.text import cell_line_location, fold, split_list, strip_brackets
from ecociv.check.view import CheckInput, project_location, project_rows
from ecociv.model import Cell, PlanTable

_LIST_LINE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）.、]\s*)?([^：:。，,；;]{2,30})[：:](.+)$"
)
_BOX_NUMBER = re.compile(r"^专栏\s*\d*\s*")
_LEAD_VERB = re.compile(r"^(?:实施|建设|推进)")
_SUFFIX = re.compile(r"(?:重点工程|重大工程|重点项目|重大项目|工程项目|工程|项目|类)+$")
_COUNTED = re.compile(r"等?\d+[个项处座条家]\S*$")
MIN_MATCHED = 3


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    cell: Cell
    offset: int
    table: PlanTable
    label: str | None


def _core(text: str) -> str:
    return _SUFFIX.sub("", strip_brackets(fold(text)))


def _list_items(table: PlanTable) -> list[Item]:
    """The items of the list lines of a box, each with the label before its colon."""
    items: list[Item] = []
    for row in table.rows:
        if not isinstance(row, list):
            continue
        for cell in row:
            offset = 0
            for line in cell.text.split("\n"):
                match = _LIST_LINE.match(line)
                if match:
                    label, body = match.group(1), match.group(2)
                    start = offset + match.start(2)
                    for part in split_list(body):
                        cleaned = _COUNTED.sub("", _LEAD_VERB.sub("", part))
                        if len(cleaned) >= 3:
                            items.append(Item(cleaned, cell, start + body.find(part), table, label))
                offset += len(line) + 1
    return items


def _in_table(item: str, names: list[tuple[str, str]]) -> bool:
    """Whether *item* names one of the projects (given as folded name and core): one name
    contains the other, with or without brackets and 工程/项目 suffixes."""
    a, ca = fold(item), _core(item)
    return any(a in b or b in a or (len(ca) >= 3 and (ca in cb or cb in ca)) for b, cb in names)


def _boxes(data: CheckInput) -> list[PlanTable]:
    return [
        t
        for t in data.plan.tables
        if t.kind == "box" or (t.kind == "other" and (t.caption or "").startswith("专栏"))
    ]


def missing_from_table(data: CheckInput) -> list[Finding]:
    """Projects a project-list box names that no project table holds."""
    names = [(fold(r.name), _core(r.name)) for _, _, r in project_rows(data.plan)]
    if not names:
        return []
    found = []
    for box in _boxes(data):
        items = _list_items(box)
        hits = [_in_table(item.text, names) for item in items]
        if sum(hits) < MIN_MATCHED or sum(hits) * 2 < len(items):
            continue
        for item, hit in zip(items, hits, strict=True):
            if hit:
                continue
            location = cell_line_location(
                item.cell, item.offset, item.text, table=box.index, caption=box.caption
            )
            found.append(
                finding(
                    "project.missing_from_table",
                    [location],
                    {"project": item.text, "box": box.caption},
                    zh=f"{box.caption}列出的“{item.text}”不在项目表中",
                    en=f"“{item.text}”, listed in {box.caption}, is not in the project table",
                    fix_zh="在项目表中补列该项目（含投资、年限、责任单位），或从专栏中删去",
                    fix_en="add the project to the project table (investment, period, units), or drop it from the box",
                )
            )
    return found


def _area_pairs(box: PlanTable) -> list[tuple[str, Item]]:
    """(area, works item) pairs: a box's caption theme with its list labels, or the rows of an
    area table (工程领域 | 重点项目)."""
    pairs: list[tuple[str, Item]] = []
    if box.kind == "box":
        theme = _BOX_NUMBER.sub("", box.caption or "")
        seen = set()
        for item in _list_items(box):
            if item.label and item.label not in seen:
                seen.add(item.label)
                offset = item.cell.text.find(item.label)
                pairs.append((theme, Item(item.label, item.cell, offset, box, None)))
        return pairs
    for row in box.rows[1:]:
        if not isinstance(row, list) or len(row) < 2:
            continue
        area_cell, works_cell = row[-2], row[-1]
        for part in split_list(works_cell.text):
            pairs.append(
                (area_cell.text, Item(part, works_cell, works_cell.text.find(part), box, None))
            )
    return pairs


def _one_top(area: str, tops: list[str]) -> str | None:
    core = _core(area)
    if len(core) < 2:
        return None
    hits = [t for t in tops if core in _core(t) or _core(t) in core]
    return hits[0] if len(hits) == 1 else None


def category_differs(data: CheckInput) -> list[Finding]:
    """Works a box files under one area that the project table files under another."""
    rows = list(project_rows(data.plan))
    tops = sorted({r.category_path[0] for _, _, r in rows if r.category_path})
    if len(tops) < 2:
        return []
    groups: dict[tuple[str, str, str], tuple[list[Location], list]] = {}
    for box in _boxes(data):
        for area, pair in _area_pairs(box):
            box_top = _one_top(area, tops)
            core = _core(pair.text)
            if box_top is None or len(core) < 3:
                continue
            members = [
                (t, i, r)
                for t, i, r in rows
                if any(_core(level) == core for level in r.category_path[1:])
            ]
            table_tops = {r.category_path[0] for _, _, r in members}
            if not members or box_top in table_tops or len(table_tops) != 1:
                continue
            table_top = table_tops.pop()
            key = (core, box_top, table_top)
            location = cell_line_location(
                pair.cell, pair.offset, pair.text, table=box.index, caption=box.caption
            )
            entry = groups.setdefault(key, ([], members))
            entry[0].append(location)
    found = []
    for (_core_name, box_top, table_top), (locations, members) in groups.items():
        table, index, row = members[0]
        works = locations[0].text or ""
        boxes_named = "、".join(dict.fromkeys(loc.caption or "" for loc in locations))
        found.append(
            finding(
                "project.category_differs",
                [*locations, project_location(table, index, row, "category")],
                {
                    "works": works,
                    "box_area": box_top,
                    "table_area": table_top,
                    "projects": len(members),
                },
                zh=f"“{works}”在{boxes_named}中属于“{box_top}”，在项目表中属于“{table_top}”（{len(members)} 个项目）",
                en=(
                    f"“{works}” is filed under “{box_top}” in {boxes_named} but under “{table_top}” in the "
                    f"project table ({len(members)} projects)"
                ),
                fix_zh="统一专栏与项目表的分类",
                fix_en="file the works under the same area in the boxes and the project table",
            )
        )
    return found


RULES = (missing_from_table, category_differs)
