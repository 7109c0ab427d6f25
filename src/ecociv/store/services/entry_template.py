"""Bulk yearly entry through an .xlsx template (批量填报模板): generate it for a plan and a
region, read it back with the same validation and lost-update guard as the entry form.

The ``填报`` sheet has one row per indicator of the plan's current version, one column per year
of the plan's whole period (base year to end year; years still to come are greyed and refuse
input), then ``数据来源``, ``备注`` and ``异常值确认理由`` columns that apply to every year filled
in on the row.  A cell holds a number (written as a number, in the indicator's unit) or a note
such as ``暂无数据``; data validation says so in Excel.  The indicator code, which the upload
needs, is in a hidden column.  The hidden ``_meta``
sheet records the plan, the region and the identity and version of every value present when
the template was made, and the upload is compared with that, deletes included: a filled cell
whose value someone changed, deleted, or deleted and entered again since the download is a
conflict, not an overwrite nor a resurrection; every conflict is reported and nothing is saved.
Empty cells are skipped (a value is never deleted from a template); an empty source or note
keeps the stored one.  A value the outlier rule flags needs a reason in its row's
``异常值确认理由`` column.  An upload is all or nothing: any failing cell and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from ecociv.store.errors import ValidationError
from ecociv.store.models import Observation
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.services.observations import (
    check_observation,
    list_observations,
    save_observation,
)
from ecociv.store.services.plans import get_plan, get_version
from ecociv.store.services.upload_scan import scan_upload
from ecociv.store.services.value_check import last_observed_year

TEMPLATE_FORMAT = "ecociv-entry-template"
ENTRY_SHEET = "填报"
META_SHEET = "_meta"
FIXED_HEADERS = ("指标代码", "序号", "领域", "指标名称", "单位")
TRAILING_HEADERS = ("数据来源", "备注", "异常值确认理由")
ROW_FIELDS = ("source", "note", "confirmation")
"""The trailing columns, in order, as the fields of :func:`save_observation` they fill."""
CODE_COLUMN = 1
FIRST_YEAR_COLUMN = len(FIXED_HEADERS) + 1
NO_VALUE_NOTES = ("暂无数据", "未统计", "/")
"""Texts the data validation of a year cell accepts besides a number (they say there is no value)."""
FIELD_LIMITS = {"source": 200, "note": 2000, "confirmation": 2000}
YEARS_MAX = 20


PROBLEM_STATUSES = ("error", "conflict", "outlier")


def plan_years(period_start: int | None, period_end: int | None, this_year: int) -> list[int]:
    """The years a template offers: the plan's whole period from its base year (the year
    before it starts) to its end; without a period, the last five years."""
    if period_start is None or period_end is None or period_end < period_start:
        return list(range(this_year - 4, this_year + 1))
    first = max(period_start - 1, period_end - YEARS_MAX + 1)
    return list(range(first, period_end + 1))


@dataclass
class EntryCell:
    """One filled cell of a returned template and what became (or would become) of it."""

    cell: str
    indicator_code: str
    year: int
    status: str
    """``created``, ``updated``, ``unchanged``, ``error``, ``conflict`` or ``outlier`` (a value
    the outlier rule flags, with no reason in its row)."""
    value: float | None = None
    text: str | None = None
    messages: list[dict[str, str]] = field(default_factory=list)
    extras: dict[str, str | None] = field(default_factory=dict)
    """The row's source, note and confirmation reason."""


@dataclass
class EntryResult:
    region_code: str
    plan_id: int
    applied: bool
    cells: list[EntryCell]

    @property
    def problems(self) -> list[EntryCell]:
        return [cell for cell in self.cells if cell.status in PROBLEM_STATUSES]

    def counts(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for cell in self.cells:
            totals[cell.status] = totals.get(cell.status, 0) + 1
        return totals


def entry_template(
    session: Session, plan_id: int, years: list[int], region_code: str | None = None
) -> bytes:
    """The .xlsx template for the plan's indicators × *years*, pre-filled with stored values."""
    plan = get_plan(session, plan_id)
    region_code = region_code or plan.region.code
    indicators = get_version(session, plan_id).indicators
    years = sorted(set(years))
    stored = {
        (o.indicator_code, o.year): o
        for o in list_observations(
            session, region_code, indicator_codes=[i.code for i in indicators], years=years
        )
    }
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = ENTRY_SHEET
    sheet.append([*FIXED_HEADERS, *(f"{year}年" for year in years), *TRAILING_HEADERS])
    for indicator in indicators:
        cells = [_display(stored.get((indicator.code, year))) for year in years]
        sheet.append(
            [
                indicator.code,
                indicator.seq,
                indicator.domain,
                indicator.name,
                indicator.unit,
                *cells,
            ]
        )
    _style(sheet, years, last_observed_year())
    _validate(sheet, indicators, years, last_observed_year())
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append(["format", TEMPLATE_FORMAT])
    meta.append(["plan_id", plan.id])
    meta.append(["region", region_code])
    meta.append(["years", ",".join(str(year) for year in years)])
    meta.append(["indicator_code", "year", "version", "observation_id"])
    for (code, year), observation in sorted(stored.items()):
        meta.append([code, year, observation.version, observation.id])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_entry_template(
    session: Session, actor: Actor, source: Path | BinaryIO | bytes, *, apply: bool = True
) -> EntryResult:
    """Check every filled cell; with *apply*, save them all — or none, when any cell fails
    (the :class:`ValidationError` then lists every failing cell)."""
    meta, rows = _read_workbook(source)
    region_code, plan_id = meta["region"], meta["plan_id"]
    downloaded: dict[tuple[str, int], tuple[int, int | None]] = meta["versions"]
    known_codes = {indicator.code for indicator in get_version(session, plan_id).indicators}
    current = {(o.indicator_code, o.year): o for o in list_observations(session, region_code)}
    results = []
    uploaded: dict[str, dict[int, float]] = {}
    """Each indicator's numbers of the upload so far (a row's years come in order): the history
    an outlier is judged against includes the years uploaded with it."""
    for ref, code, year, content, extras in rows:
        value, text = (
            (content, None) if isinstance(content, int | float) else (None, str(content).strip())
        )
        entry = EntryCell(
            cell=ref,
            indicator_code=code,
            year=year,
            status="",
            value=value,
            text=text,
            extras=extras,
        )
        results.append(entry)
        if code not in known_codes:
            entry.status = "error"
            entry.messages.append(
                {
                    "zh": f"规划中没有该行的指标（{ref}）",
                    "en": f"the plan has no indicator for this row ({ref})",
                }
            )
            continue
        stored = current.get((code, year))
        if stored is not None and _same_content(stored, value, text):
            entry.status = "unchanged"
            continue
        conflict = _since_download(stored, downloaded.get((code, year)))
        if conflict is not None:
            entry.status = "conflict"
            entry.messages.append(conflict)
            continue
        check = check_observation(
            session,
            region_code=region_code,
            indicator_code=code,
            year=year,
            value=value,
            text=text,
            expected_version=stored.version if stored is not None else None,
            pending=uploaded.get(code),
        )
        accepted = check.outlier is None or extras.get("confirmation")
        if (
            check.ok and check.value is not None and accepted
        ):  # an unconfirmed outlier is no history
            uploaded.setdefault(code, {})[year] = check.value
        entry.messages.extend(finding.as_dict() for finding in check.problems + check.warnings)
        if check.problems:
            entry.status = "error"
        elif check.outlier is not None and not extras.get("confirmation"):
            entry.status = "outlier"
            entry.messages.insert(
                0,
                {
                    "zh": f"{check.outlier.zh}；如属实，请在本行“异常值确认理由”列说明",
                    "en": f"{check.outlier.en}; if it is right, give a reason in the row's "
                    "异常值确认理由 (outlier reason) column",
                },
            )
        else:
            entry.status = "updated" if stored is not None else "created"
    result = EntryResult(region_code=region_code, plan_id=plan_id, applied=False, cells=results)
    if not apply:
        return result
    if result.problems:
        raise ValidationError(
            "模板中有 {} 个单元格未通过校验，未保存任何数据：{}".format(
                len(result.problems),
                "；".join(f"{c.cell} {c.messages[0]['zh']}" for c in result.problems[:20]),
            ),
            "{} cells of the template failed; nothing was saved: {}".format(
                len(result.problems),
                "; ".join(f"{c.cell} {c.messages[0]['en']}" for c in result.problems[:20]),
            ),
            problems=[
                {"cell": c.cell, "status": c.status, "messages": c.messages}
                for c in result.problems
            ],
        )
    for entry in results:
        if entry.status in ("created", "updated"):
            stored = current.get((entry.indicator_code, entry.year))
            save_observation(
                session,
                actor,
                region_code=region_code,
                indicator_code=entry.indicator_code,
                year=entry.year,
                value=entry.value,
                text=entry.text,
                source=entry.extras.get("source") or (stored.source if stored else None),
                note=entry.extras.get("note") or (stored.note if stored else None),
                confirmation=entry.extras.get("confirmation"),
                expected_version=stored.version if stored is not None else None,
            )  # an empty source or note keeps the stored one
    audit.record(
        session,
        actor,
        "bulk_entry",
        "plan",
        str(plan_id),
        after={"region": region_code, **result.counts()},
    )
    result.applied = True
    return result


def _since_download(
    stored: Observation | None, downloaded: tuple[int, int | None] | None
) -> dict[str, str] | None:
    """What happened to the value since the template was made, when it is no longer the one
    downloaded (changed, deleted, or deleted and entered again); ``None`` when it still is."""
    if stored is None:
        if downloaded is None:
            return None
        return {
            "zh": "下载模板后此值已被删除；如确需恢复，请重新下载模板后录入",
            "en": "deleted since the template was made; download it again to enter a value",
        }
    if downloaded is not None and stored.version == downloaded[0]:
        if downloaded[1] is None or downloaded[1] == stored.id:
            return None
    return {
        "zh": f"下载模板后此值已被 {stored.updated_by} 修改为 {_display(stored)}",
        "en": f"changed by {stored.updated_by} to {_display(stored)} since the template was made",
    }


def _display(observation: Observation | None) -> Any:
    """What a template cell shows: the number as a number when the text says only that
    number (``30`` → 30), else the text as written."""
    if observation is None:
        return None
    if observation.text is None:
        return observation.value
    if observation.value is not None and _plain_number(observation.text) == observation.value:
        return observation.value
    return observation.text


def _plain_number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def _same_content(stored: Observation, value: float | None, text: str | None) -> bool:
    shown = _display(stored)
    if text is not None:
        return shown == text or stored.text == text
    return shown == value


def _read_workbook(
    source: Path | BinaryIO | bytes,
) -> tuple[dict[str, Any], list[tuple[str, str, int, Any, dict[str, str | None]]]]:
    scan_upload(source, where="填报模板 / entry template")
    try:
        workbook = load_workbook(
            BytesIO(source) if isinstance(source, bytes) else source, data_only=True
        )
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise ValidationError(
            f"无法读取填报模板：{exc}", f"cannot read the entry template: {exc}"
        ) from None
    if META_SHEET not in workbook.sheetnames or ENTRY_SHEET not in workbook.sheetnames:
        raise ValidationError(
            "这不是 ecociv 生成的填报模板（缺少“填报”或隐藏的 _meta 工作表）；请重新下载模板",
            "this is not an ecociv entry template (the 填报 or hidden _meta sheet is missing); download it again",
        )
    meta_rows = list(workbook[META_SHEET].iter_rows(values_only=True))
    head = {row[0]: row[1] for row in meta_rows[:4]}
    if head.get("format") != TEMPLATE_FORMAT:
        raise ValidationError("填报模板格式无法识别", "unrecognised entry template format")
    try:
        years = [int(year) for year in str(head["years"]).split(",") if year]
        meta = {
            "plan_id": int(head["plan_id"]),
            "region": str(head["region"]),
            "versions": {
                (str(code), int(year)): (int(version), int(ident) if ident is not None else None)
                for code, year, version, ident, *_ in (
                    (*row, None, None)[:4] if len(row) < 4 else row for row in meta_rows[5:]
                )
            },
        }
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            "填报模板的隐藏工作表 _meta 已损坏；请重新下载模板",
            "the hidden _meta sheet of the entry template is damaged; download the template again",
            where=META_SHEET,
        ) from None
    sheet = workbook[ENTRY_SHEET]
    cells = []
    first_extra = FIRST_YEAR_COLUMN + len(years)
    for row in sheet.iter_rows(min_row=2, max_col=first_extra + len(ROW_FIELDS) - 1):
        code = row[CODE_COLUMN - 1].value
        if code is None:
            continue
        extras = _row_extras(row, first_extra)
        for offset, year in enumerate(years):
            cell = row[FIRST_YEAR_COLUMN - 1 + offset]
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            cells.append(
                (f"{ENTRY_SHEET}!{cell.coordinate}", str(code), year, _cell_content(cell), extras)
            )
    return meta, cells


def _row_extras(row: Any, first_extra: int) -> dict[str, str | None]:
    """The row's source, note and confirmation (trimmed; too long is refused, naming the cell)."""
    extras: dict[str, str | None] = {}
    for offset, name in enumerate(ROW_FIELDS):
        index = first_extra - 1 + offset
        if index >= len(row) or row[index].value is None:
            extras[name] = None
            continue
        text = str(row[index].value).strip()
        if len(text) > FIELD_LIMITS[name]:
            where = f"{ENTRY_SHEET}!{row[index].coordinate}"
            raise ValidationError(
                f"{where}：{TRAILING_HEADERS[offset]}超过 {FIELD_LIMITS[name]} 个字符",
                f"{where}: {name} is longer than {FIELD_LIMITS[name]} characters",
                where=where,
            )
        extras[name] = text or None
    return extras


def _cell_content(cell: Any) -> Any:
    """The cell as typed: Excel stores ``91.5%`` typed into a cell as 0.915 with a percent
    format, so a number shown as a percentage is read back as the percentage (91.5)."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (cell.number_format or "")
    ):
        return float(Decimal(repr(value)) * 100)
    return value


def _style(sheet: Any, years: list[int], this_year: int) -> None:
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    future_fill = PatternFill("solid", fgColor="EEEEEE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = {1: 22, 2: 6, 3: 14, 4: 40, 5: 12}
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, year in enumerate(years):
        letter = get_column_letter(FIRST_YEAR_COLUMN + offset)
        sheet.column_dimensions[letter].width = 11
        if year > this_year:
            for (cell,) in sheet.iter_rows(
                min_row=1,
                max_row=sheet.max_row,
                min_col=FIRST_YEAR_COLUMN + offset,
                max_col=FIRST_YEAR_COLUMN + offset,
            ):
                cell.fill = future_fill
    for offset, width in enumerate((24, 24, 30)):
        sheet.column_dimensions[
            get_column_letter(FIRST_YEAR_COLUMN + len(years) + offset)
        ].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = sheet.cell(row=2, column=FIRST_YEAR_COLUMN)


def _validate(sheet: Any, indicators: list[Any], years: list[int], this_year: int) -> None:
    """Excel data validation: a year cell of an indicator with a unit takes a number or a
    no-value note; a year still to come takes nothing; source and note have their limits."""
    if not indicators:
        return
    last_row = len(indicators) + 1
    measured = [row for row, i in enumerate(indicators, start=2) if i.unit]
    for offset, year in enumerate(years):
        letter = get_column_letter(FIRST_YEAR_COLUMN + offset)
        if year > this_year:
            rule = DataValidation(
                type="textLength",
                operator="equal",
                formula1="0",
                allow_blank=True,
                error=f"{year} 年尚未结束，不能填报",
                errorTitle="年份未到",
                showErrorMessage=True,
            )
            rule.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(rule)
            continue
        if not measured:
            continue
        first = f"{letter}{measured[0]}"  # the formula is relative to the first cell of the range
        accepted = ",".join(f'{first}="{note}"' for note in NO_VALUE_NOTES)
        rule = DataValidation(
            type="custom",
            formula1=f"OR(ISNUMBER({first}),{accepted})",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请填写数值",
            error="请填写以指标单位计的数值（不带单位），或 " + "、".join(NO_VALUE_NOTES),
        )
        for row in measured:
            rule.add(f"{letter}{row}")
        sheet.add_data_validation(rule)
    for offset, name in enumerate(ROW_FIELDS):
        letter = get_column_letter(FIRST_YEAR_COLUMN + len(years) + offset)
        rule = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(FIELD_LIMITS[name]),
            allow_blank=True,
            showErrorMessage=True,
            error=f"{TRAILING_HEADERS[offset]}最多 {FIELD_LIMITS[name]} 个字符",
        )
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(rule)
