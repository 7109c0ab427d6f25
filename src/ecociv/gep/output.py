"""A GEP result as a JSON-ready dict and as an .xlsx workbook (the same content).

Values are in 万元 (with 亿元 beside the totals); quantities in the item's canonical unit.  The
notices (unverified method items, parameters from secondary sources, prices not deflated, items
not filled in) come first in both forms, so that nobody reads a total without them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ecociv.gep.catalog import catalog
from ecociv.gep.compute import GepResult

_YI = Decimal(10_000)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_dict(result: GepResult) -> dict[str, Any]:
    """The result with every line's provenance (inputs, formula, coefficients, price, source)."""
    methods = catalog().valuation_methods
    names = {a.code: (a.zh, a.en) for a in catalog().accounts}
    return {
        "region": result.region,
        "year": result.year,
        "method": {
            "code": result.method.code,
            "zh": result.method.zh,
            "document": result.method.document,
            "verified": result.method.verified,
            "unverified_items": [m.item.code for m in result.method.unverified()],
        },
        "price_set": {
            "code": result.prices.code,
            "version": result.prices.version,
            "zh": result.prices.zh,
        },
        "notices": [{"zh": zh, "en": en} for zh, en in result.notices],
        "value_unit": "万元",
        "lines": [
            {
                "code": ln.code,
                "account": ln.account,
                "account_zh": names[ln.account][0],
                "zh": ln.zh,
                "en": ln.en,
                "quantity": _num(ln.quantity),
                "unit": ln.unit,
                "price": _num(ln.price.value) if ln.price else None,
                "price_unit": ln.price.unit if ln.price else None,
                "value": _num(ln.value),
                "share": _num(ln.share),
                "valuation": ln.valuation,
                "valuation_zh": methods[ln.valuation][0],
                "verified": ln.verified,
                "provenance": ln.provenance,
            }
            for ln in result.lines
        ],
        "accounts": {
            code: {"zh": names[code][0], "value": _num(v)} for code, v in result.accounts.items()
        },
        "gross": _num(result.gross),
        "external_deduction": _num(result.deduction),
        "gep": _num(result.gep),
        "gep_yi_yuan": _num(result.gep / _YI),
        "gdp": _num(result.gdp),
        "gep_gdp_ratio": _num(result.gep / result.gdp) if result.gdp else None,
        "constant_price_series": {str(y): _num(v) for y, v in result.series.items()},
        "yoy_change_constant_prices": _num(result.yoy),
        "prices_used": [p.as_dict() for p in result.prices_used],
    }


def write_result_xlsx(result: GepResult, path: Path | IO[bytes]) -> None:
    """The result as a workbook: 提示, 核算结果, 价格与参数, 来源追溯, 年度序列."""
    write_result_data_xlsx(result_dict(result), path)


def write_result_data_xlsx(data: dict[str, Any], path: Path | IO[bytes]) -> None:
    """The workbook of a result already in the form of :func:`result_dict` (a stored one)."""
    book = Workbook()
    notes = book.active
    notes.title = "提示"
    notes.append(["提示", "notice"])
    for n in data["notices"]:
        notes.append([n["zh"], n["en"]])
    table = book.create_sheet("核算结果")
    table.append(
        [
            "账户",
            "条目代码",
            "条目",
            "实物量",
            "单位",
            "单价",
            "单价单位",
            "价值（万元）",
            "占比",
            "核算方法",
            "已核实",
        ]
    )
    for ln in data["lines"]:
        table.append(
            [
                ln["account_zh"],
                ln["code"],
                ln["zh"],
                ln["quantity"],
                ln["unit"],
                ln["price"],
                ln["price_unit"],
                ln["value"],
                ln["share"],
                ln["valuation_zh"],
                "是" if ln["verified"] else "否（未核实）",
            ]
        )
    for code, account in data["accounts"].items():
        table.append([account["zh"], code, "小计", None, None, None, None, account["value"]])
    table.append(
        [
            None,
            "external_deduction",
            "区域外生态产品价值扣减",
            None,
            None,
            None,
            None,
            data["external_deduction"],
        ]
    )
    table.append([None, "gep", "GEP", None, None, None, None, data["gep"]])
    if data["gdp"] is not None:
        table.append([None, "gep_gdp_ratio", "GEP/GDP", data["gep_gdp_ratio"]])
    prices = book.create_sheet("价格与参数")
    prices.append(["键", "名称", "数值", "单位", "价格年份", "方法", "来源", "资料类别"])
    for p in data["prices_used"]:
        prices.append(
            [
                p["key"],
                p["zh"],
                p["value"],
                p["unit"],
                p["year"],
                p["kind"],
                p["source"],
                p["marker"],
            ]
        )
    trace = book.create_sheet("来源追溯")
    trace.append(["条目代码", "公式", "公式来源", "输入项", "分项", "填写值", "数据来源", "位置"])
    for ln in data["lines"]:
        prov = ln["provenance"]
        for record in prov.get("inputs", []) + prov.get("value_inputs", []):
            trace.append(
                [
                    ln["code"],
                    prov["formula"],
                    prov["formula_source"],
                    record["input"],
                    record["component"],
                    record["written"],
                    record["source"],
                    record["where"],
                ]
            )
    series = book.create_sheet("年度序列")
    series.append(["年份", f"GEP（万元，{data['year']} 年价格）"])
    for year, value in data["constant_price_series"].items():
        series.append([int(year), value])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    book.save(path)
