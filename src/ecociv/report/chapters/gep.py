"""The GEP chapter (生态产品总值核算) of the annual, mid-term and final evaluations and of the
state-of-environment report, from the newest GEP account stored for the report's region and
year (issue 17: "a GEP chapter in the reports of the report issue").

* :func:`read` gives ``{"version": …, "result": gep_account.result}`` (the form of
  :func:`ecociv.gep.output.result_dict`), or None when no account is stored: the report then
  leaves the chapter out;
* :func:`facts`: GEP and its three accounts, GEP/GDP, the change at constant prices, the
  method set with its unverified items named, the notices of the result, the price level of
  the values, and every price and coefficient used with its source (issue 17: "a report
  always lists the ones used");
* :data:`TABLE` and :func:`rows`: account by account, each indicator's quantity, unit, price,
  value and share, the subtotals, the deduction of external origin and GEP.

Not in the self-assessment and completion kinds: those are the fixed one-table forms of the
standard and of the seed plans' review layout (``docs/reports.md``), with no place for another
account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecociv.gep.catalog import catalog
from ecociv.report.chapters import Chapter, ChapterScope
from ecociv.report.model import Cell, number
from ecociv.report.registry import Column, TableSpec
from ecociv.store.services import gep_accounts

YI = 10_000
"""万元 per 亿元: values are stored in 万元, the paragraphs give 亿元."""
WAN = 10_000
"""A quantity of 10 000 or more of a unit is printed in 万 of it (20527.5 万m³)."""

TABLE = TableSpec(
    "gep",
    "生态产品总值核算表",
    "GEP accounts",
    (
        Column("account", "账户", "Account", 17),
        Column("item", "核算条目", "Item", 31),
        Column("quantity", "实物量", "Quantity", 20, number=True),
        Column("unit", "单位", "Unit", 14),
        Column("price", "单价", "Price", 24),
        Column("value", "价值量（万元）", "Value (10⁴ yuan)", 28, number=True),
        Column("share", "占比（%）", "Share (%)", 22, number=True),
    ),
)

WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "gep": "{region}{year}年生态产品总值（GEP）为{gep:,.2f}亿元{deduction}，其中{parts}。",
        "deduction": "（已扣除区域外生态产品价值{value:,.2f}亿元）",
        "part": "{name}{value:,.2f}亿元、占{share:.1f}%",
        "join": "，",
        "ratio": "同年地区生产总值（GDP）{gdp:,.2f}亿元，GEP与GDP之比为{ratio:.2f}。",
        "no_gdp": "核算表未填报地区生产总值（GDP），GEP与GDP之比未计算。",
        "yoy": "按{year}年可比价计，GEP比上年（{last:,.2f}亿元）{word}{change:.2f}%。",
        "no_yoy": "核算表未填报上年数据，未计算按可比价的年度变化。",
        "up": "增长",
        "down": "下降",
        "method": "核算方法为“{method}”（{document}），价格与参数取自“{prices}”第{version}版；"
        "本章数据为平台存储的该年度第{account}版核算结果。",
        "unverified": "所用方法集的下列条目未经标准原文核实，其公式或参数仅供参考，"
        "表中标“未核实”：{items}。",
        "unverified_all": "所用方法集未经标准原文核实，其条目仅供参考。",
        "price": "{name}为{value:g}{unit}（{year}年，{source}）",
        "prices": "所用价格：{items}。",
        "coefficients": "所用参数：{items}。",
        "deflated": "表中单价为价格集所列原价，价值量已按价格指数折算为{year}年价格。",
        "unchecked": "（未核实）",
        "subtotal": "小计",
        "less": "扣除",
        "external": "区域外生态产品价值",
        "sum": "合计",
        "total": "生态产品总值",
        "stop": "。",
        "list": "、",
        "unit": "{unit}",
        "items": "；",
    },
    "en": {
        "gep": "The GEP of {region} in {year} is {gep:,.2f} × 10⁸ yuan{deduction}: {parts}.",
        "deduction": " (products of external origin, {value:,.2f} × 10⁸ yuan, deducted)",
        "part": "{name} {value:,.2f} × 10⁸ yuan ({share:.1f}%)",
        "join": ", ",
        "ratio": "GDP in the same year was {gdp:,.2f} × 10⁸ yuan; GEP is {ratio:.2f} times GDP.",
        "no_gdp": "The account gives no GDP; GEP/GDP is not computed.",
        "yoy": "At {year} prices GEP {word} by {change:.2f}% on the previous year "
        "({last:,.2f} × 10⁸ yuan).",
        "no_yoy": "The account gives no previous year; the change at constant prices is not computed.",
        "up": "rose",
        "down": "fell",
        "method": "Method: {method} ({document}); prices and coefficients: {prices}, version "
        "{version}; the platform's stored account version {account} of the year.",
        "unverified": "These items of the method set were not checked against the standard's "
        "text and are for reference only (marked 'not checked' in the table): {items}.",
        "unverified_all": "The method set was not checked against the standard's text; its "
        "items are for reference only.",
        "price": "{name} {value:g}{unit} ({year}, {source})",
        "prices": "Prices used: {items}.",
        "coefficients": "Coefficients used: {items}.",
        "deflated": "Prices are those of the price set; values are converted to {year} prices "
        "with the price index.",
        "unchecked": " (not checked)",
        "subtotal": "subtotal",
        "less": "less",
        "external": "products of external origin",
        "sum": "total",
        "total": "GEP",
        "stop": ".",
        "list": ", ",
        "unit": " {unit}",
        "items": "; ",
    },
}


def facts(data: dict[str, Any], lang: str) -> list[str]:
    """The chapter's paragraphs: GEP and its accounts, GEP/GDP, the change at constant prices,
    the method and price set, the unverified items, the values' price level, the prices used."""
    words, result = WORDS[lang], data["result"]
    year, gross = result["year"], result["gross"]
    names = _account_names(lang)
    parts = [
        words["part"].format(
            name=names[code], value=acc["value"] / YI, share=_percent(acc["value"], gross)
        )
        for code, acc in result["accounts"].items()
        if acc["value"]
    ]
    deduction = result["external_deduction"]
    paragraphs = [
        words["gep"].format(
            region=result["region"],
            year=year,
            gep=result["gep"] / YI,
            deduction=words["deduction"].format(value=deduction / YI) if deduction else "",
            parts=words["join"].join(parts),
        )
    ]
    if result["gep_gdp_ratio"] is None:
        paragraphs.append(words["no_gdp"])
    else:
        paragraphs.append(
            words["ratio"].format(gdp=result["gdp"] / YI, ratio=result["gep_gdp_ratio"])
        )
    change, last = (
        result["yoy_change_constant_prices"],
        result["constant_price_series"].get(str(year - 1)),
    )
    if change is None or last is None:
        paragraphs.append(words["no_yoy"])
    else:
        paragraphs.append(
            words["yoy"].format(
                year=year,
                last=last / YI,
                word=words["up"] if change >= 0 else words["down"],
                change=abs(change) * 100,
            )
        )
    method = result["method"]
    paragraphs.append(
        words["method"].format(
            method=method["zh"] if lang == "zh" else method["code"],
            document=method["document"],
            prices=result["price_set"]["zh"],
            version=result["price_set"]["version"],
            account=data["version"],
        )
    )
    unverified = _unverified_items(result, lang)
    if unverified:
        paragraphs.append(words["unverified"].format(items=words["list"].join(unverified)))
    elif not method["verified"]:
        paragraphs.append(words["unverified_all"])
    paragraphs.extend(_notice(notice[lang], words["stop"], lang) for notice in result["notices"])
    if any(_deflated(line) for line in result["lines"]):
        paragraphs.append(words["deflated"].format(year=year))
    for group, is_price in (("prices", True), ("coefficients", False)):
        used = [
            words["price"].format(
                name=p["zh"],
                value=p["value"],
                unit="" if p["unit"] == "-" else words["unit"].format(unit=p["unit"]),
                year=p["year"],
                source=p["source"],
            )
            for p in result["prices_used"]
            if (p["kind"] is not None) == is_price
        ]
        if used:
            paragraphs.append(words[group].format(items=words["items"].join(used)))
    return paragraphs


def rows(data: dict[str, Any], lang: str) -> list[dict[str, Cell]]:
    """Account by account, its indicators (quantity, unit, price, value, share) and its
    subtotal; then the deduction of external origin, if any, and GEP."""
    words, result = WORDS[lang], data["result"]
    names = _account_names(lang)
    gross = result["gross"]
    found: list[dict[str, Cell]] = []
    for code, account in result["accounts"].items():
        lines = [line for line in result["lines"] if line["account"] == code]
        for line in lines:
            quantity, unit = _quantity(line["quantity"], line["unit"], lang)
            item = line["zh"] if lang == "zh" else line["en"]
            found.append(
                {
                    "account": names[code],
                    "item": item if line["verified"] else item + words["unchecked"],
                    "quantity": quantity,
                    "unit": unit,
                    "price": f"{line['price']:g} {line['price_unit']}"
                    if line["price"] is not None
                    else None,
                    "value": number(line["value"], 2),
                    "share": number(line["share"] * 100, 2),
                }
            )
        if lines:
            found.append(
                {
                    "account": names[code],
                    "item": words["subtotal"],
                    "value": number(account["value"], 2),
                    "share": number(_percent(account["value"], gross), 2),
                }
            )
    if result["external_deduction"]:
        found.append(
            {
                "account": words["less"],
                "item": words["external"],
                "value": number(-result["external_deduction"], 2),
            }
        )
    found.append(
        {"account": words["sum"], "item": words["total"], "value": number(result["gep"], 2)}
    )
    return found


def _account_names(lang: str) -> dict[str, str]:
    return {a.code: a.zh if lang == "zh" else a.en for a in catalog().accounts}


def _unverified_items(result: dict[str, Any], lang: str) -> list[str]:
    """The method's unverified items that this account has a line for."""
    lines = {line["code"]: line for line in result["lines"]}
    return [
        lines[code]["zh"] if lang == "zh" else lines[code]["en"]
        for code in result["method"]["unverified_items"]
        if code in lines
    ]


def _notice(text: str, stop: str, lang: str) -> str:
    """A notice of the result as a sentence of the report: the catalog's item codes it cites
    for the platform's reviewers (``（farm_products.livestock）``) become nothing in Chinese,
    which names the item already, and the item's name in English."""
    items = catalog().items
    for code in sorted(items, key=len, reverse=True):  # a longer code before its prefix
        text = (
            text.replace(f"（{code}）", "") if lang == "zh" else text.replace(code, items[code].en)
        )
    return text if text.endswith(("。", ".")) else text + stop


def _deflated(line: dict[str, Any]) -> bool:
    price = line["provenance"].get("price") or {}
    return price.get("deflator_factor", 1) != 1


def _quantity(value: float, unit: str, lang: str) -> tuple[float | None, str]:
    """A large quantity in 万 of its unit (205275000 m³ → 20527.5 万m³); 万元 stays."""
    if abs(value) < WAN or unit.startswith("万") or "元" in unit:
        return number(value, 2), unit
    return number(value / WAN, 4), (f"万{unit}" if lang == "zh" else f"10⁴ {unit}")


def _percent(part: float, whole: float) -> float:
    return part / whole * 100 if whole else 0.0


def read(session: Session, scope: ChapterScope) -> dict[str, Any] | None:
    return gep_accounts.report_data(session, scope.region_code, scope.year)


CHAPTER = Chapter(
    key="gep",
    zh="生态产品总值核算",
    en="Gross ecosystem product",
    kinds=("annual", "midterm", "final", "environment-status"),
    read=read,
    facts=facts,
    table=TABLE,
    rows=rows,
)
