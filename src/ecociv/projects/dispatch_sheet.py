"""The 调度表 workbook: export a plan's projects for a period, and import the filled-in sheet
in the same layout (``data/library.yaml``, ``dispatch_sheet``).

Import is all or nothing: every row is checked and every problem is reported with its cell
(``调度表!F7``); only a sheet without problems is saved.  The 版本 column carries the
report's version at export, so a report changed since then is a conflict, not an overwrite.
"""

from __future__ import annotations

import math
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from ecociv.projects import dispatch
from ecociv.projects.dispatch import ReportInput
from ecociv.projects.records import list_records
from ecociv.projects.vocab import SheetColumn, sheet_layout
from ecociv.store.errors import Conflict, ValidationError
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.plans import get_plan
from ecociv.store.services.upload_scan import scan_upload
from ecociv.store.tables.projects_life import DispatchReport, ProjectRecord

NUMBER_FIELDS = (
    "progress_percent",
    "planned_progress_percent",
    "invested_period_wan_yuan",
    "invested_to_date_wan_yuan",
    "planned_year_wan_yuan",
)
CONTENT_FIELDS = (*NUMBER_FIELDS, "problems", "note")
"""A row with none of these filled is a project not reported on: skipped."""


def export_sheet(session: Session, plan_id: int, period: str) -> bytes:
    """The plan's library projects, one row each, with their report of *period* when there
    is one (blank cells otherwise)."""
    plan = get_plan(session, plan_id)
    title, columns = sheet_layout()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([column.zh for column in columns])
    for record in list_records(session, plan_id=plan.id):
        report = next((r for r in record.reports if r.period == period), None)
        sheet.append([_cell(record, report, period, column.field) for column in columns])
    _style(sheet, columns)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_sheet(session: Session, actor: Actor, plan_id: int, data: bytes) -> list[DispatchReport]:
    """Save every row of a filled-in 调度表 of the plan (new report without 版本, update of
    that version with it); nothing is saved when any row has a problem."""
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    title, columns = sheet_layout()
    scan_upload(data, where=f"{title} / dispatch sheet")
    try:
        workbook = load_workbook(BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise ValidationError(
            f"无法读取调度表：{exc}", f"cannot read the dispatch sheet: {exc}"
        ) from None
    if title not in workbook.sheetnames:
        raise ValidationError(
            f"工作簿中没有“{title}”工作表；请使用导出的调度表填报",
            f"the workbook has no sheet “{title}”; fill in an exported dispatch sheet",
        )
    rows = list(workbook[title].iter_rows(values_only=True))
    positions = _header(rows[0] if rows else (), columns, title)
    records = {r.id: r for r in list_records(session, plan_id=plan.id)}
    problems: list[dict[str, str]] = []
    planned: list[tuple[str, ProjectRecord, ReportInput, int | None]] = []
    for number, row in enumerate(rows[1:], start=2):
        values = {
            field: row[index] if index < len(row) else None for field, index in positions.items()
        }
        if all(_blank(values.get(field)) for field in CONTENT_FIELDS):
            continue
        try:
            planned.append(_row(values, records, positions, title, number))
        except ValidationError as error:
            problems.append({"field": error.where or title, "zh": error.zh, "en": error.en})
    saved: list[DispatchReport] = []
    whole = session.begin_nested()
    for where, record, report, version in planned:
        try:
            with session.begin_nested():
                saved.append(
                    dispatch.save_report(
                        session, actor, record.id, report, expected_version=version
                    )
                )
        except (ValidationError, Conflict) as error:
            problems.append({"field": where, "zh": error.zh, "en": error.en})
    if problems:
        whole.rollback()
        raise ValidationError(
            f"调度表有 {len(problems)} 处问题，未保存任何数据："
            + "；".join(f"{p['field']} {p['zh']}" for p in problems[:10]),
            f"the dispatch sheet has {len(problems)} problems; nothing was saved: "
            + "; ".join(f"{p['field']} {p['en']}" for p in problems[:10]),
            where=title,
            problems=problems,
        )
    whole.commit()
    return saved


def _header(row: tuple[Any, ...], columns: tuple[SheetColumn, ...], title: str) -> dict[str, int]:
    found = {str(value).strip(): index for index, value in enumerate(row) if value is not None}
    missing = [c.zh for c in columns if not c.read_only and c.zh not in found]
    if missing:
        raise ValidationError(
            f"{title} 第 1 行缺少列：{'、'.join(missing)}；请使用导出的调度表",
            f"row 1 of {title} lacks the columns {', '.join(missing)}; use an exported sheet",
            where=f"{title}!1",
        )
    return {c.field: found[c.zh] for c in columns if c.zh in found}


def _row(
    values: dict[str, Any],
    records: dict[int, ProjectRecord],
    positions: dict[str, int],
    title: str,
    row_number: int,
) -> tuple[str, ProjectRecord, ReportInput, int | None]:
    def cell(field: str) -> str:
        return f"{title}!{get_column_letter(positions[field] + 1)}{row_number}"

    record_id = _integer(values["record_id"], cell("record_id"))
    if record_id is None or record_id not in records:
        raise ValidationError(
            f"项目编号 {values['record_id']!r} 不是本规划项目库中的项目",
            f"project id {values['record_id']!r} is not in this plan's library",
            where=cell("record_id"),
        )
    period = "" if values["period"] is None else str(values["period"]).strip()

    def number(field: str) -> float | None:
        return _number(values.get(field), cell(field)) if field in positions else None

    problems_text = "" if values.get("problems") is None else str(values["problems"])
    report = ReportInput(
        period=period,
        progress_percent=number("progress_percent"),
        planned_progress_percent=number("planned_progress_percent"),
        invested_period_wan_yuan=number("invested_period_wan_yuan"),
        invested_to_date_wan_yuan=number("invested_to_date_wan_yuan"),
        planned_year_wan_yuan=number("planned_year_wan_yuan"),
        problems=tuple(line for line in problems_text.splitlines() if line.strip()),
        note=None if values.get("note") is None else str(values["note"]),
    )
    return cell("period"), records[record_id], report, _integer(values["version"], cell("version"))


def _number(value: Any, where: str) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(str(value).strip().rstrip("%")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise ValidationError(f"{value!r} 不是数字", f"{value!r} is not a number", where=where)
    return number


def _integer(value: Any, where: str) -> int | None:
    number = _number(value, where)
    if number is None:
        return None
    if not number.is_integer() or not 1 <= number <= 2**31 - 1:
        raise ValidationError(
            f"{value!r} 不是正整数", f"{value!r} is not a positive whole number", where=where
        )
    return int(number)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(record: ProjectRecord, report: DispatchReport | None, period: str, field: str) -> Any:
    project = record.project
    if field == "record_id":
        return record.id
    if field == "name":
        return project.name
    if field == "category":
        return project.category
    if field == "lead_units":
        return "、".join(project.lead_units)
    if field == "period":
        return period
    if report is None:
        return None
    if field == "problems":
        return "\n".join(report.problems)
    return getattr(report, field)


def _style(sheet: Any, columns: tuple[SheetColumn, ...]) -> None:
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
