"""Read candidate key tasks from a plan document (``data/plan_tasks.yaml``), for a user to
review before they are created through :mod:`ecociv.tasks.records`.

Two structures are detected, never assumed:

* a **task table** — a table whose header names a task column (重点任务, 工作任务, …) and a
  lead column (牵头单位, 责任单位, …), as in a 任务分解表 annex; each data row is a task.  A
  table with a project column (项目名称, 投资, 建设内容) is a project table and is left to the
  project library, with a finding;
* **task headings** — the innermost numbered headings inside a chapter whose title names
  the tasks (主要任务, 重点任务, …), and any innermost section whose text carries a
  ``牵头单位：…`` label; the section's text is the measures, its labels the units.

Whatever is unsure (a task chapter without unit labels, a row without a lead unit, a
deadline without a year) is a finding next to the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ecociv.ingest.document import Block, DocTable, Document
from ecociv.model import Diagnostic, SourceSpan
from ecociv.tasks.sheet import layout

_REMARK = re.compile(r"[（(][^）)]*[）)]|\s+")
_YEAR = re.compile(r"(20\d\d)")
_HEADER_ROWS = 3


@dataclass
class TaskCandidate:
    title: str
    measures: str | None
    lead_units: list[str]
    cooperating_units: list[str]
    deadline_text: str | None
    deadline_year: int | None
    where: SourceSpan
    source: str
    """``table`` (a row of a task table) or ``heading`` (a section of the task chapters)."""
    heading_path: list[str] = field(default_factory=list)
    caption: str | None = None
    """The caption of the task's table (表一 重点任务分解表), when it has one."""


@dataclass
class TaskReading:
    candidates: list[TaskCandidate]
    findings: list[Diagnostic]


@cache
def vocabulary() -> dict[str, Any]:
    text = resources.files("ecociv.tasks").joinpath("data/plan_tasks.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def read_plan_tasks(path: str | Path) -> TaskReading:
    """Read *path* (.docx, Tika text or .xlsx) and find its candidate tasks."""
    from ecociv.ingest.api import read_document

    return tasks_in_document(read_document(path))


def tasks_in_document(document: Document) -> TaskReading:
    candidates: list[TaskCandidate] = []
    findings: list[Diagnostic] = []
    path: list[tuple[int, str]] = []
    for block in document.blocks:
        if block.kind == "heading":
            level = block.level or 99
            path = [(lv, text) for lv, text in path if lv < level] + [(level, block.text)]
        elif block.table is not None:
            fill_down = document.format == "tika"
            candidates += _table_tasks(block.table, [t for _, t in path], findings, fill_down)
    candidates += _heading_tasks(document.blocks, findings)
    return TaskReading(candidates, findings)


def normalise(text: str) -> str:
    """Header text without spaces and bracketed remarks: 牵头单位（实施单位） → 牵头单位."""
    return _REMARK.sub("", text)


def column_roles(header_rows: list[list[str]]) -> dict[int, str]:
    """Column → role (title, measures, lead, cooperate, deadline) from the header rows; the
    lowest header row that names a role wins (a merged 责任单位 over 牵头单位 | 配合单位)."""
    names = {
        normalise(name): role
        for role, words in vocabulary()["table_columns"].items()
        for name in words
    }
    roles: dict[int, str] = {}
    for row in header_rows:
        for col, text in enumerate(row):
            role = names.get(normalise(text))
            if role is not None:
                roles[col] = role
    return roles


def split_units(text: str | None) -> list[str]:
    if not text:
        return []
    for separator in layout()["list_separators"]:
        text = text.replace(separator, "\n")
    return list(dict.fromkeys(part.strip() for part in text.splitlines() if part.strip()))


def deadline_year(text: str | None) -> int | None:
    """The last year a deadline names (2021-2025 → 2025, 2023年底前 → 2023), else ``None``."""
    years = _YEAR.findall(text or "")
    return int(years[-1]) if years else None


def _grid(table: DocTable) -> list[list[str]]:
    """Cell texts, a merged region's text repeated over every position it covers."""
    grid: list[list[str]] = []
    for row in table.rows:
        texts = []
        for cell in row:
            if cell.merged_into is not None:
                r, c = cell.merged_into
                texts.append(table.rows[r][c].text.strip())
            else:
                texts.append(cell.text.strip())
        grid.append(texts)
    return grid


def _table_tasks(
    table: DocTable, heading_path: list[str], findings: list[Diagnostic], fill_down: bool
) -> list[TaskCandidate]:
    """The rows of a task table.  A text export cannot show merged cells, so there
    (*fill_down*) an empty lead cell takes the lead of the row above, with a finding."""
    grid = _grid(table)
    depth = 0
    roles: dict[int, str] = {}
    for n in range(1, min(_HEADER_ROWS, len(grid)) + 1):
        found = column_roles(grid[:n])
        if n > 1 and not column_roles([grid[n - 1]]):
            break
        roles, depth = found, n
    kinds = set(roles.values())
    if not {"title", "lead"} <= kinds:
        return []
    projects = {normalise(w) for w in vocabulary()["project_columns"]}
    if any(normalise(text) in projects for row in grid[:depth] for text in row):
        findings.append(
            _finding(
                "task_table_is_project_table",
                "表格有任务列和牵头单位列，但也有项目列（项目名称/投资），按项目表处理，未读作任务",
                "the table has task and lead columns but also a project column; "
                "read as a project table, not as tasks",
                table.where,
            )
        )
        return []
    column = {role: col for col, role in sorted(roles.items(), reverse=True)}
    candidates: list[TaskCandidate] = []
    for number, row in enumerate(grid[depth:], start=depth):

        def value(role: str, row: list[str] = row) -> str | None:
            col = column.get(role)
            text = row[col] if col is not None and col < len(row) else ""
            return text or None

        title = value("title")
        if title is None:
            continue
        where = table.rows[number][column["title"]].where
        lead = split_units(value("lead"))
        if not lead and fill_down and candidates and candidates[-1].lead_units:
            lead = candidates[-1].lead_units
            findings.append(
                _finding(
                    "task_lead_filled_down",
                    "牵头单位单元格为空，按上一行（合并单元格）填入，请核对",
                    "empty lead cell filled from the row above (a merged cell); please check",
                    where,
                )
            )
        elif not lead:
            findings.append(
                _finding(
                    "task_without_lead", "任务行没有牵头单位", "task row without a lead", where
                )
            )
        deadline = value("deadline")
        candidates.append(
            TaskCandidate(
                title=title,
                measures=value("measures"),
                lead_units=lead,
                cooperating_units=split_units(value("cooperate")),
                deadline_text=deadline,
                deadline_year=deadline_year(deadline),
                where=where,
                source="table",
                heading_path=heading_path,
                caption=table.caption,
            )
        )
    return candidates


def _heading_tasks(blocks: list[Block], findings: list[Diagnostic]) -> list[TaskCandidate]:
    chapters = [normalise(w) for w in vocabulary()["task_chapters"]]
    reviews = [normalise(w) for w in vocabulary()["task_chapters_not"]]
    candidates: list[TaskCandidate] = []
    path: list[tuple[int, str]] = []
    in_chapter_level: int | None = None
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        level = block.level or 99
        if in_chapter_level is not None and level <= in_chapter_level:
            in_chapter_level = None
        path = [(lv, text) for lv, text in path if lv < level] + [(level, block.text)]
        title = normalise(block.text)
        if (
            in_chapter_level is None
            and any(w in title for w in chapters)
            and not any(w in title for w in reviews)
        ):
            in_chapter_level = level
            if _section(blocks, index, level)[1]:
                findings.append(
                    _finding(
                        "task_chapter_without_headings",
                        "任务章节没有编号的下级标题，未读出任务",
                        "a task chapter without numbered headings; no tasks read from it",
                        block.where,
                    )
                )
            continue
        body, innermost = _section(blocks, index, level)
        if not innermost:
            continue
        labels = _labels(body)
        if in_chapter_level is None and not labels.get("lead"):
            continue
        if not labels.get("lead"):
            findings.append(
                _finding(
                    "task_heading_without_lead",
                    "任务章节下的标题没有“牵头单位：”说明",
                    "a heading of the task chapters names no lead unit",
                    block.where,
                )
            )
        deadline = "、".join(labels.get("deadline", [])) or None
        candidates.append(
            TaskCandidate(
                title=block.text.strip(),
                measures="\n".join(filter(None, map(_without_labels, body))) or None,
                lead_units=labels.get("lead", []),
                cooperating_units=labels.get("cooperate", []),
                deadline_text=deadline,
                deadline_year=deadline_year(deadline),
                where=block.where,
                source="heading",
                heading_path=[t for _, t in path],
            )
        )
    return candidates


def _section(blocks: list[Block], index: int, level: int) -> tuple[list[str], bool]:
    """The paragraph texts under the heading at *index*, and whether no deeper heading
    sits inside it (an innermost section)."""
    body: list[str] = []
    for block in blocks[index + 1 :]:
        if block.kind == "heading":
            return body, (block.level or 99) <= level
        if block.kind == "paragraph":
            body.append(block.text.strip())
    return body, True


def _label_pattern() -> re.Pattern[str]:
    words = [w for ws in vocabulary()["unit_labels"].values() for w in ws]
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"({alternatives})\s*[:：]\s*([^；;。）)\n]+)")


def _labels(body: list[str]) -> dict[str, list[str]]:
    role_of = {w: role for role, ws in vocabulary()["unit_labels"].items() for w in ws}
    found: dict[str, list[str]] = {}
    for text in body:
        for label, value in _label_pattern().findall(text):
            role = role_of[label]
            parts = [value.strip()] if role == "deadline" else split_units(value)
            found.setdefault(role, [])
            found[role] += [p for p in parts if p not in found[role]]
    return found


def _without_labels(text: str) -> str:
    """A section's text without its unit labels and the brackets and separators they leave."""
    stripped = _label_pattern().sub("", text)
    stripped = re.sub(r"[（(][\s；;，,]*[）)]", "", stripped)
    return stripped.strip().strip("；;，,").strip()


def _finding(code: str, zh: str, en: str, where: SourceSpan) -> Diagnostic:
    return Diagnostic(code=code, severity="info", message_zh=zh, message_en=en, where=where)
