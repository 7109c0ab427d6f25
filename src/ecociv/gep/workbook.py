"""The GEP input workbook (GEP 核算填报表): write the template, read a filled one.

Sheets (Chinese headers; every unit is chosen from a drop-down of the units in
``data/units.yaml``):

* ``基本信息`` — 地区名称, 行政区划代码;
* ``年度信息`` — per year: GDP and the value of ecological products of external origin to deduct;
* ``价格指数`` — optional price index by year (any base) to bring prices to constant prices;
* ``实物量`` — one row per input of the method set (per ecosystem type where the input is by
  type); a row whose 数值 is empty is not filled in;
* ``已核算实物量`` — an item's physical quantity computed elsewhere (e.g. InVEST), instead of its
  inputs.

The reader refuses a bad cell with one bilingual :class:`~ecociv.errors.InputError` whose
location is ``file sheet!cell`` (e.g. ``gep.xlsx 实物量!G7``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ecociv.errors import InputError
from ecociv.gep.catalog import MethodSet, catalog
from ecociv.gep.inputs import AccountingInputs, Deduction, Measured, YearInputs, measured
from ecociv.gep.prices import Deflator
from ecociv.gep.units import MONEY, written_units
from ecociv.ingest.limits import check_input

INFO, YEARS, INDEX, PHYSICAL, QUANTITIES, LISTS = (
    "基本信息",
    "年度信息",
    "价格指数",
    "实物量",
    "已核算实物量",
    "_lists",
)
HEADERS = {
    INFO: ("项目", "值"),
    YEARS: ("年份", "地区生产总值", "GDP单位", "区域外生态产品价值扣减", "扣减单位", "扣减依据"),
    INDEX: ("年份", "价格指数", "来源"),
    PHYSICAL: (
        "年份",
        "指标代码",
        "指标",
        "输入项代码",
        "输入项",
        "分项",
        "数值",
        "单位",
        "数据来源",
        "备注",
    ),
    QUANTITIES: ("年份", "条目代码", "条目", "实物量", "单位", "数据来源"),
}
INFO_KEYS = ("地区名称", "行政区划代码")
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
        "Fill 数值 and 单位 in 实物量 (units from the drop-down); rows left empty are not counted.",
        "模型（如 InVEST）已算出的条目实物量填在「已核算实物量」表，此时不要再填该条目的输入项。",
        "A quantity computed elsewhere (e.g. by InVEST) goes to 已核算实物量, without the item's inputs.",
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


def read_inputs(path: Path) -> AccountingInputs:
    """The filled workbook at *path* as :class:`AccountingInputs` (bilingual errors)."""
    if check_input(path) != "xlsx":
        raise InputError(
            "GEP 填报表应为 .xlsx 文件", "the GEP input must be an .xlsx workbook", where=str(path)
        )
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = {name: _rows(book, name, path) for name in HEADERS}
    finally:
        book.close()
    given = AccountingInputs()
    info = {str(r["项目"].value).strip(): r["值"].value for r in rows[INFO] if r["项目"].value}
    given.region = str(info.get("地区名称") or "")
    given.region_code = str(info.get("行政区划代码") or "")
    index = {
        _year(r, path, INDEX): _number(r, "价格指数", path, INDEX, positive=True)
        for r in rows[INDEX]
    }
    given.deflator = Deflator(index, f"{path.name} {INDEX}") if index else None
    for r in rows[YEARS]:
        year = _year(r, path, YEARS)
        if r["地区生产总值"].value is not None:
            given.gdp[year] = _measure(r, "地区生产总值", "GDP单位", path, YEARS, MONEY)
        if r["区域外生态产品价值扣减"].value is not None:
            amount = _measure(r, "区域外生态产品价值扣减", "扣减单位", path, YEARS, MONEY)
            given.deductions.setdefault(year, []).append(
                Deduction(amount, str(r["扣减依据"].value or ""))
            )
    for r in rows[PHYSICAL]:
        if r["数值"].value is None:
            continue
        _physical(r, path, given)
    for r in rows[QUANTITIES]:
        if r["实物量"].value is None:
            continue
        _quantity(r, path, given)
    return given


@dataclass(frozen=True, slots=True)
class _Cell:
    value: Any
    coordinate: str


def _rows(book, name: str, path: Path) -> list[dict[str, _Cell]]:
    if name not in book.sheetnames:
        if name in (INDEX, QUANTITIES):
            return []
        raise InputError(f"缺少工作表「{name}」", f"the sheet {name} is missing", where=str(path))
    sheet_rows = book[name].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(sheet_rows, ())]
    missing = [h for h in HEADERS[name] if h not in header]
    if missing:
        raise InputError(
            f"工作表「{name}」缺少表头 {missing}",
            f"the sheet {name} lacks the headers {missing}",
            where=f"{path.name} {name}!1",
        )
    columns = {h: header.index(h) for h in HEADERS[name]}
    out = []
    for number, values in enumerate(sheet_rows, start=2):
        row = {
            h: _Cell(values[i] if i < len(values) else None, f"{get_column_letter(i + 1)}{number}")
            for h, i in columns.items()
        }
        if any(c.value is not None for c in row.values()):
            out.append(row)
    return out


def _where(path: Path, sheet: str, cell) -> str:
    return f"{path.name} {sheet}!{cell.coordinate}"


def _year(row: dict[str, Any], path: Path, sheet: str) -> int:
    cell = row["年份"]
    if (
        isinstance(cell.value, int | float)
        and float(cell.value).is_integer()
        and 1949 <= cell.value <= 2100
    ):
        return int(cell.value)
    raise InputError(
        f"「年份」应为 1949—2100 的整数，读到 {cell.value!r}",
        f"年份 must be a year between 1949 and 2100, got {cell.value!r}",
        where=_where(path, sheet, cell),
    )


def _number(
    row: dict[str, Any], header: str, path: Path, sheet: str, positive: bool = False
) -> Decimal:
    cell = row[header]
    value = measured(
        cell.value if cell.value is not None else "", "-", where=_where(path, sheet, cell)
    ).value
    if positive and value == 0:
        raise InputError(
            f"「{header}」应为正数", f"{header} must be positive", where=_where(path, sheet, cell)
        )
    return value


def _measure(
    row: dict[str, Any],
    header: str,
    unit_header: str,
    path: Path,
    sheet: str,
    expect: str,
    source: str = "",
) -> Measured:
    cell, unit = row[header], row[unit_header]
    if unit.value is None:
        raise InputError(
            f"「{unit_header}」为空", f"{unit_header} is empty", where=_where(path, sheet, unit)
        )
    where = _where(path, sheet, cell)
    return measured(cell.value, str(unit.value), source=source, where=where, expect=expect)


def _physical(row: dict[str, Any], path: Path, given: AccountingInputs) -> None:
    year = _year(row, path, PHYSICAL)
    code_cell = row["指标代码"]
    indicator = catalog().indicators.get(str(code_cell.value or "").strip())
    if indicator is None:
        raise InputError(
            f"未知指标代码 {code_cell.value!r}",
            f"unknown indicator code {code_cell.value!r}",
            where=_where(path, PHYSICAL, code_cell),
        )
    input_cell = row["输入项代码"]
    spec = indicator.inputs.get(str(input_cell.value or "").strip())
    if spec is None:
        raise InputError(
            f"指标 {indicator.zh} 没有输入项 {input_cell.value!r}（应为 {sorted(indicator.inputs)} 之一）",
            f"indicator {indicator.code} has no input {input_cell.value!r} (one of {sorted(indicator.inputs)})",
            where=_where(path, PHYSICAL, input_cell),
        )
    part_cell = row["分项"]
    part = str(part_cell.value or "").strip()
    if spec.by and not part:
        raise InputError(
            f"输入项 {spec.zh} 须按分项填写，「分项」为空",
            f"input {spec.code} is per component; 分项 is empty",
            where=_where(path, PHYSICAL, part_cell),
        )
    if not spec.by and part:
        raise InputError(
            f"输入项 {spec.zh} 不分项，「分项」应为空",
            f"input {spec.code} has no components; 分项 must be empty",
            where=_where(path, PHYSICAL, part_cell),
        )
    if spec.by == "ecosystem" and part not in catalog().ecosystem_types:
        raise InputError(
            f"生态系统类型 {part} 不在 {list(catalog().ecosystem_types)} 中",
            f"ecosystem type {part} is not one of {list(catalog().ecosystem_types)}",
            where=_where(path, PHYSICAL, part_cell),
        )
    value = _measure(
        row,
        "数值",
        "单位",
        path,
        PHYSICAL,
        spec.canonical,
        str(row["数据来源"].value or ""),
    )
    slot = given.years.setdefault(year, YearInputs()).values.setdefault(
        (indicator.code, spec.code), {}
    )
    if part in slot:
        raise InputError(
            f"{year} 年 {indicator.zh}·{spec.zh}{('·' + part) if part else ''} 重复填报（另见 {slot[part].where}）",
            f"{year} {indicator.code}.{spec.code}{(' ' + part) if part else ''} is given twice (also {slot[part].where})",
            where=value.where,
        )
    slot[part] = value


def _quantity(row: dict[str, Any], path: Path, given: AccountingInputs) -> None:
    year = _year(row, path, QUANTITIES)
    code_cell = row["条目代码"]
    item = catalog().items.get(str(code_cell.value or "").strip())
    if item is None:
        raise InputError(
            f"未知条目代码 {code_cell.value!r}",
            f"unknown item code {code_cell.value!r}",
            where=_where(path, QUANTITIES, code_cell),
        )
    value = _measure(
        row, "实物量", "单位", path, QUANTITIES, item.unit, str(row["数据来源"].value or "")
    )
    slot = given.years.setdefault(year, YearInputs()).quantities
    if item.code in slot:
        raise InputError(
            f"{year} 年条目 {item.zh} 重复填报",
            f"{year} item {item.code} is given twice",
            where=value.where,
        )
    slot[item.code] = value
