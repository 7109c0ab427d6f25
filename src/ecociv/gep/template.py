"""Write the GEP input template (GEP 核算填报表) for a method set.

The sheets and headers are those of :mod:`ecociv.gep.workbook`; 实物量 is prefilled with one row
per input of the method set (per ecosystem type where the input is by type), and every column
that takes a year, a number, a code or a unit has data validation (drop-downs from a hidden
``_lists`` sheet).  The 说明 sheet says when the method set is not verified.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ecociv.gep.catalog import MethodSet, catalog
from ecociv.gep.units import written_units
from ecociv.gep.workbook import HEADERS, INDEX, INFO, INFO_KEYS, LISTS, PHYSICAL, QUANTITIES, YEARS

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_MAX_ROWS = 2000
_HINTS = {"name": "每个对象一行，「分项」填名称 / one row per object, its name in 分项"}


def write_template(path: Path, method: MethodSet, year: int | None = None) -> None:
    """Write the input template for *method* to *path* (prefilled with *year* when given)."""
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    for line in _instructions(method):
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    sheets = {name: _sheet(book, name) for name in HEADERS}
    for key in INFO_KEYS:
        sheets[INFO].append([key, None])
    if year is not None:
        sheets[YEARS].append([year, None, "亿元", None, "亿元", None])
    indicators = {m.item.indicator for m in method.items}
    for indicator in catalog().indicators.values():
        if indicator.code not in indicators:
            continue
        for spec in indicator.inputs.values():
            parts = catalog().ecosystem_types if spec.by == "ecosystem" else ("",)
            hint = _HINTS.get(spec.by or "")
            for part in parts:
                head = (year, indicator.code, indicator.zh, spec.code, spec.zh, part or None)
                sheets[PHYSICAL].append((*head, None, spec.unit, None, hint))
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    columns = {
        "units": written_units(),
        "indicators": sorted(indicators),
        "inputs": sorted(
            {s.code for i in catalog().indicators.values() for s in i.inputs.values()}
        ),
        "items": [m.item.code for m in method.items],
        "types": list(catalog().ecosystem_types),
    }
    refs = {}
    for col, (name, values) in enumerate(columns.items(), start=1):
        lists.cell(1, col, name)
        for number, value in enumerate(values, start=2):
            lists.cell(number, col, value)
        letter = get_column_letter(col)
        refs[name] = f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    _validate(
        sheets[PHYSICAL],
        {
            "A": "year",
            "B": refs["indicators"],
            "D": refs["inputs"],
            "G": "number",
            "H": refs["units"],
        },
    )
    _validate(sheets[PHYSICAL], {"F": refs["types"]}, strict=False)
    _validate(
        sheets[QUANTITIES], {"A": "year", "B": refs["items"], "D": "number", "E": refs["units"]}
    )
    _validate(
        sheets[YEARS],
        {"A": "year", "B": "number", "C": refs["units"], "D": "number", "E": refs["units"]},
    )
    _validate(sheets[INDEX], {"A": "year", "B": "number"})
    book.save(path)


def _instructions(method: MethodSet) -> list[str]:
    lines = [
        "GEP 核算填报表 / GEP accounting input workbook",
        f"核算方法集 / method set: {method.zh}（{method.code}）",
        "在「实物量」表填写数值与单位（单位从下拉列表选择）；数值为空的行视为未填报，相应条目不计入。",
        "Fill in the value and unit of each row of sheet 实物量 (units from the drop-down); rows left empty are not counted.",
        "模型（如 InVEST）已算出的条目实物量填在「已核算实物量」表，此时不要再填该条目的输入项。",
        "A quantity computed elsewhere (e.g. by InVEST) goes to sheet 已核算实物量, without the item's inputs.",
        "数值、面积、价格与金额均不得为负。/ No value, area, price or amount may be negative.",
    ]
    if not method.verified:
        lines.insert(2, f"注意：{method.document} 的条目与参数未经原文核实，见核算结果中的提示。")
        lines.insert(
            3,
            f"Note: the items and parameters of {method.document} are not checked against its text; see the notices of the result.",
        )
    return lines


def _sheet(book: Workbook, name: str):
    sheet = book.create_sheet(name)
    sheet.append(list(HEADERS[name]))
    for col, _ in enumerate(HEADERS[name], start=1):
        cell = sheet.cell(1, col)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.freeze_panes = "A2"
    return sheet


def _validate(sheet, rules: dict[str, str], strict: bool = True) -> None:
    for column, rule in rules.items():
        if rule == "year":
            check = DataValidation(
                type="whole", operator="between", formula1="1949", formula2="2100"
            )
            check.error = "年份应为 1949—2100 的整数 / a year between 1949 and 2100"
        elif rule == "number":
            check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
            check.error = "应为非负数 / must be a non-negative number"
        else:
            check = DataValidation(type="list", formula1=rule)
            check.error = "请从下拉列表选择 / choose from the list"
        check.showErrorMessage = True
        check.errorStyle = "stop" if strict else "warning"
        check.add(f"{column}2:{column}{_MAX_ROWS}")
        sheet.add_data_validation(check)
