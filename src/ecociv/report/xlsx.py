"""The report as an Excel workbook: a cover sheet (title, data revision, facts and the
editable sections) and one sheet per table — numbers as numbers, header frozen and repeated on
each printed page, A4 fitted to the page width."""

from __future__ import annotations

import math
import re
from io import BytesIO
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ecociv.report.charts import chart_png
from ecociv.report.model import Report, Table
from ecociv.report.registry import registry

MM_PER_WIDTH_UNIT = 1.9
"""An Excel column-width unit (one ``0`` in the default font) is about 1.9 mm."""
WIDTH_SCALE = 1.6
"""A sheet is read on screen and printed fitted to the page: wider than the Word columns."""
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
FONT = "宋体"
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SCREEN_DPI = 96
"""Pixels an inch of a picture in a sheet."""
ROW_PX = 20
"""The default row height (15 pt) in pixels."""


def render_xlsx(report: Report, out: Path | IO[bytes]) -> None:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    _cover(cover, report)
    if report.charts:
        _figures_sheet(workbook.create_sheet("图" if report.lang == "zh" else "Figures"), report)
    for section in report.sections:
        if section.table is not None:
            _table_sheet(workbook.create_sheet(_sheet_name(section.table, report)), section.table)
    workbook.save(out)


def _sheet_name(table: Table, report: Report) -> str:
    spec = registry().tables[table.key]
    return SHEET_NAME_FORBIDDEN.sub("", spec.zh if report.lang == "zh" else spec.en)[:31]


def _cover(sheet: Worksheet, report: Report) -> None:
    zh = report.lang == "zh"
    sheet.title = "报告" if zh else "Report"
    sheet.column_dimensions["A"].width = 110
    lines: list[tuple[str, Font]] = [(report.title, Font(name=FONT, size=16, bold=True))]
    meta = (
        f"{report.region_name}（{report.region_code}）　《{report.plan_name}》第{report.plan_version}版"
        f"　评估期{report.period}年　数据版本 {report.data_revision}　生成时间 {report.generated_at}"
        if zh
        else f"{report.region_name} ({report.region_code}), {report.plan_name}, version "
        f"{report.plan_version}, {report.period}; data revision {report.data_revision}, "
        f"generated {report.generated_at}"
    )
    lines.append((meta, Font(name=FONT, size=10, italic=True)))
    for section in report.sections:
        lines.append((section.number + section.title, Font(name=FONT, size=12, bold=True)))
        paragraphs = [*section.facts]
        if section.narrative is not None:
            paragraphs += section.narrative.paragraphs
        if section.table is not None:
            paragraphs.append(
                f"见工作表“{_sheet_name(section.table, report)}”"
                if zh
                else f"See the sheet “{_sheet_name(section.table, report)}”"
            )
        lines += [(text, Font(name=FONT, size=11)) for text in paragraphs]
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _print_setup(sheet, landscape=False)


def _figures_sheet(sheet: Worksheet, report: Report) -> None:
    """The report's figures, each under its caption, at their printed width (the PNGs of the
    Word file, so the two never differ)."""
    sheet.column_dimensions["A"].width = 110
    width_px = registry().chart_style["width_mm"] / 25.4 * SCREEN_DPI
    row = 1
    for chart in report.charts.values():
        sheet.cell(row=row, column=1, value=chart.caption).font = Font(name=FONT, bold=True)
        image = Image(BytesIO(chart_png(chart)))
        scale = width_px / image.width
        image.width, image.height = round(image.width * scale), round(image.height * scale)
        sheet.add_image(image, f"A{row + 1}")
        row += 2 + math.ceil(image.height / ROW_PX)
    _print_setup(sheet, landscape=False)


def _table_sheet(sheet: Worksheet, table: Table) -> None:
    spec = registry().tables[table.key]
    last = get_column_letter(len(table.keys))
    sheet.merge_cells(f"A1:{last}1")
    title = sheet.cell(row=1, column=1, value=table.caption)
    title.font = Font(name=FONT, size=14, bold=True)
    title.alignment = Alignment(horizontal="center")
    for index, (header, column) in enumerate(zip(table.headers, spec.columns, strict=True), 1):
        cell = sheet.cell(row=2, column=index, value=header)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        width = column.width / MM_PER_WIDTH_UNIT * WIDTH_SCALE
        sheet.column_dimensions[get_column_letter(index)].width = round(width, 1)
    numeric = {column.key for column in spec.columns if column.number}
    for offset, row in enumerate(table.rows, start=3):
        for index, key in enumerate(table.keys, start=1):
            value = row.get(key)
            cell = sheet.cell(row=offset, column=index, value=value)
            cell.font = Font(name=FONT)
            cell.border = BORDER
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            cell.alignment = Alignment(
                horizontal="right" if is_number else "left", vertical="top", wrap_text=True
            )
            if is_number and key in numeric and isinstance(value, float):
                cell.number_format = "0.####" if value != int(value) else "0"
    end = 2 + len(table.rows)
    if table.note:
        sheet.cell(row=end + 1, column=1, value=table.note).font = Font(name=FONT, italic=True)
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{last}{end}"
    sheet.print_title_rows = "2:2"
    sheet.print_area = f"A1:{last}{end + (1 if table.note else 0)}"
    _print_setup(sheet, landscape=len(table.keys) > 7)


def _print_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
