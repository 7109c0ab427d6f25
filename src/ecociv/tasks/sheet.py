"""Import a 任务分解表 (``data/tasks.yaml``): each row a key task with its lead and
cooperating departments (by code or name), created all or nothing; problems by cell."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from ecociv.store.errors import Conflict, Forbidden, NotFound, ValidationError
from ecociv.store.models import Region
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.departments import list_departments
from ecociv.store.services.plans import get_plan
from ecociv.store.services.upload_scan import scan_upload
from ecociv.store.tables.tasks import KeyTask
from ecociv.tasks.records import TaskInput, create_task, decompose

_DATE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?\s*(?:底|末)?\s*$"
)


@cache
def layout() -> dict[str, Any]:
    text = resources.files("ecociv.tasks").joinpath("data/tasks.yaml").read_text("utf-8")
    return yaml.safe_load(text)["decomposition_sheet"]


def import_sheet(session: Session, actor: Actor, plan_id: int, data: bytes) -> list[KeyTask]:
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    spec = layout()
    title = spec["sheet"]
    scan_upload(data, where=f"{title} / task sheet")
    try:
        workbook = load_workbook(BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise ValidationError(
            f"无法读取任务分解表：{exc}", f"cannot read the task sheet: {exc}"
        ) from None
    sheet_name = title if title in workbook.sheetnames else workbook.sheetnames[0]
    rows = list(workbook[sheet_name].iter_rows(values_only=True))
    header = {str(v).strip(): i for i, v in enumerate(rows[0] if rows else ()) if v is not None}
    missing = [c["zh"] for c in spec["columns"] if c["required"] and c["zh"] not in header]
    if missing:
        raise ValidationError(
            f"{sheet_name} 第 1 行缺少列：{'、'.join(missing)}",
            f"row 1 of {sheet_name} lacks the columns {', '.join(missing)}",
            where=f"{sheet_name}!1",
        )
    positions = {c["field"]: header[c["zh"]] for c in spec["columns"] if c["zh"] in header}
    rows_in: list[tuple[dict[str, Any], Callable[[str], str]]] = []
    for number, row in enumerate(rows[1:], start=2):
        values = {f: (row[i] if i < len(row) else None) for f, i in positions.items()}
        if all(_blank(v) for v in values.values()):
            continue

        def cell(field: str, number: int = number) -> str:
            return f"{sheet_name}!{get_column_letter(positions[field] + 1)}{number}"

        rows_in.append((values, cell))
    return create_rows(
        session, actor, plan.id, rows_in, ("任务分解表", "the task sheet", sheet_name)
    )


def create_rows(
    session: Session,
    actor: Actor,
    plan_id: int,
    rows: list[tuple[dict[str, Any], Callable[[str], str]]],
    source: tuple[str, str, str],
) -> list[KeyTask]:
    """Create one task per row (values by field of ``data/tasks.yaml``, and the place of
    each field in the source), all or nothing: every row's problem is reported with its
    place.  *source* names the input (zh, en) and where it is."""
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    departments = _departments(session, plan.region)
    problems: list[dict[str, str]] = []
    created: list[KeyTask] = []
    whole = session.begin_nested()
    for values, cell in rows:
        try:
            with session.begin_nested():
                created.append(_row(session, actor, plan.id, values, departments, cell))
        except (ValidationError, Conflict, Forbidden, NotFound) as error:
            problems.append(
                {
                    "field": error.where if error.where and "!" in error.where else cell("code"),
                    "zh": error.zh,
                    "en": error.en,
                }
            )
    if problems:
        whole.rollback()
        name_zh, name_en, where = source
        raise ValidationError(
            f"{name_zh}有 {len(problems)} 处问题，未保存任何数据："
            + "；".join(f"{p['field']} {p['zh']}" for p in problems[:10]),
            f"{name_en} has {len(problems)} problems; nothing was saved: "
            + "; ".join(f"{p['field']} {p['en']}" for p in problems[:10]),
            where=where,
            problems=problems,
        )
    whole.commit()
    return created


def _row(session, actor, plan_id, values, departments, cell) -> KeyTask:
    deadline = _date(values.get("deadline"), cell("deadline"))
    year = values.get("year")
    if not _blank(year):
        try:
            year = int(str(year).strip().rstrip("年"))
        except ValueError:
            raise ValidationError(
                f"年度 {year!r} 无效", f"invalid year {year!r}", where=cell("year")
            ) from None
    else:
        year = None
    lead = _units(values.get("lead"), departments, cell("lead"))
    if len(lead) != 1:
        raise ValidationError(
            "须有且只有一个牵头单位", "give exactly one lead department", where=cell("lead")
        )
    cooperate = (
        _units(values.get("cooperate"), departments, cell("cooperate"))
        if "cooperate" in values
        else []
    )
    task = create_task(
        session,
        actor,
        plan_id,
        TaskInput(
            code=_str(values.get("code")) or "",
            title=_str(values.get("title")) or "",
            deadline=deadline,
            chapter=_str(values.get("chapter")),
            measures=_str(values.get("measures")),
            deliverables=_str(values.get("deliverables")),
            year=year,
            indicator_codes=tuple(_split(values.get("indicator_codes"))),
        ),
    )
    decompose(session, actor, task.id, department_code=lead[0], role="lead")
    for code in cooperate:
        if code != lead[0]:
            decompose(session, actor, task.id, department_code=code, role="cooperate")
    return task


def _departments(session: Session, region: Region) -> dict[str, str]:
    """Code and name → code, for the departments of the plan's region, of the regions above
    it and of its towns (a department of an unrelated region is not offered)."""
    known: dict[str, str] = {}
    for department in list_departments(session):
        home = department.region
        if home is None or region.path.startswith(home.path) or home.path.startswith(region.path):
            known[department.code] = department.code
            known[department.name] = department.code
    return known


def _units(value: Any, departments: dict[str, str], where: str) -> list[str]:
    codes = []
    for name in _split(value):
        if name not in departments:
            raise ValidationError(
                f"没有名为或代码为“{name}”的部门",
                f"no department named or coded “{name}”",
                where=where,
            )
        codes.append(departments[name])
    return list(dict.fromkeys(codes))


def _split(value: Any) -> list[str]:
    if _blank(value):
        return []
    text = str(value)
    for separator in layout()["list_separators"]:
        text = text.replace(separator, "\n")
    return [part.strip() for part in text.splitlines() if part.strip()]


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value or ""))
    if match:
        year, month = int(match[1]), int(match[2])
        try:
            if match[3]:
                return date(year, month, int(match[3]))
            return date(year, month, calendar.monthrange(year, month)[1])
        except ValueError:
            pass
    raise ValidationError(
        f"完成时限 {value!r} 无法识别（例：2025-06-30、2025年6月、2025年6月底）",
        f"deadline {value!r} not understood (e.g. 2025-06-30, 2025年6月)",
        where=where,
    )


def _str(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
