"""The GEP input workbook (GEP 核算填报表): its sheets, and the reader of a filled one.

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
location is ``file sheet!cell`` (e.g. ``gep.xlsx 实物量!G7``).  The template is written by
:mod:`ecociv.gep.template`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ecociv.errors import InputError
from ecociv.gep.catalog import catalog
from ecociv.gep.inputs import AccountingInputs, Deduction, Measured, YearInputs, measured
from ecociv.gep.prices import Deflator
from ecociv.gep.units import MONEY
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
        f"the year must be a whole number between 1949 and 2100, got {cell.value!r}",
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
            f"「{header}」应为正数", "the value must be positive", where=_where(path, sheet, cell)
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
            f"「{unit_header}」为空", "the unit cell is empty", where=_where(path, sheet, unit)
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
            f"input {spec.code} is per component; the component cell is empty",
            where=_where(path, PHYSICAL, part_cell),
        )
    if not spec.by and part:
        raise InputError(
            f"输入项 {spec.zh} 不分项，「分项」应为空",
            f"input {spec.code} has no components; the component cell must be empty",
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
