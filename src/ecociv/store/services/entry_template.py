"""Bulk yearly entry through an .xlsx template (批量填报模板): generate it for a plan and a
region, read it back with the same validation and lost-update guard as the entry form.

The ``填报`` sheet has one row per indicator of the plan's current version and one column per
year; a cell holds a number or a text (``暂无数据``, ``26.5μg/m³``).  The hidden ``_meta``
sheet records the plan, the region and the identity and version of every value present when
the template was made, and the upload is compared with that, deletes included: a filled cell
whose value someone changed, deleted, or deleted and entered again since the download is a
conflict, not an overwrite nor a resurrection; every conflict is reported and nothing is saved.
Empty cells are skipped (a value is never deleted from a template).
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

TEMPLATE_FORMAT = "ecociv-entry-template"
ENTRY_SHEET = "填报"
META_SHEET = "_meta"
FIXED_HEADERS = ("指标代码", "序号", "领域", "指标名称", "单位")
CODE_COLUMN = 1
FIRST_YEAR_COLUMN = len(FIXED_HEADERS) + 1


@dataclass
class EntryCell:
    """One filled cell of a returned template and what became (or would become) of it."""

    cell: str
    indicator_code: str
    year: int
    status: str
    """``created``, ``updated``, ``unchanged``, ``error`` or ``conflict``."""
    value: float | None = None
    text: str | None = None
    messages: list[dict[str, str]] = field(default_factory=list)


@dataclass
class EntryResult:
    region_code: str
    plan_id: int
    applied: bool
    cells: list[EntryCell]

    @property
    def problems(self) -> list[EntryCell]:
        return [cell for cell in self.cells if cell.status in ("error", "conflict")]

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
    sheet.append([*FIXED_HEADERS, *(f"{year}年" for year in years)])
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
    _style(sheet, len(years))
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
    for ref, code, year, content in rows:
        value, text = (
            (content, None) if isinstance(content, int | float) else (None, str(content).strip())
        )
        entry = EntryCell(
            cell=ref, indicator_code=code, year=year, status="", value=value, text=text
        )
        results.append(entry)
        if code not in known_codes:
            entry.status = "error"
            entry.messages.append(
                {"zh": f"规划中没有指标代码 {code}", "en": f"the plan has no indicator code {code}"}
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
            session, region_code=region_code, indicator_code=code, year=year, value=value, text=text
        )
        entry.messages.extend(finding.as_dict() for finding in check.problems + check.warnings)
        entry.status = (
            "error" if check.problems else ("updated" if stored is not None else "created")
        )
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
                source="xlsx 批量填报",
                expected_version=stored.version if stored is not None else None,
            )
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
    if observation is None:
        return None
    return observation.text if observation.text is not None else observation.value


def _same_content(stored: Observation, value: float | None, text: str | None) -> bool:
    if text is not None:
        return stored.text == text
    return stored.text is None and stored.value == value


def _read_workbook(
    source: Path | BinaryIO | bytes,
) -> tuple[dict[str, Any], list[tuple[str, str, int, Any]]]:
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
    for row in sheet.iter_rows(min_row=2):
        code = row[CODE_COLUMN - 1].value
        if code is None:
            continue
        for offset, year in enumerate(years):
            cell = row[FIRST_YEAR_COLUMN - 1 + offset]
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            cells.append((f"{ENTRY_SHEET}!{cell.coordinate}", str(code), year, _cell_content(cell)))
    return meta, cells


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


def _style(sheet: Any, year_count: int) -> None:
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = {1: 22, 2: 6, 3: 14, 4: 40, 5: 12}
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset in range(year_count):
        sheet.column_dimensions[get_column_letter(FIRST_YEAR_COLUMN + offset)].width = 14
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = sheet.cell(row=2, column=FIRST_YEAR_COLUMN)
