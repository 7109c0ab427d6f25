"""The GEP page's data (生态产品总值核算页): a stored account as plain JSON values, grouped by
account and indicator, with each line's provenance, the charts' ECharts options, and the
drill-down to the regions below.  Pure: it reads stored rows, it writes nothing."""

from __future__ import annotations

from typing import Any

from ecociv.gep.catalog import DEFAULT_METHOD, Input, catalog, load_method_set, method_codes
from ecociv.gep.prices import DEFAULT_PRICE_SET, load_price_set, packaged_price_sets
from ecociv.store.models import Region
from ecociv.store.services.gep_accounts import summary
from ecociv.store.tables.gep import GepAccount
from ecociv.web.charts import OBSERVED, bar_chart

ACCOUNT_COLOURS = ("#2f6f4f", "#2b6cb0", "#c05621")
"""物质供给, 调节服务, 文化服务."""
YI = 10_000
"""万元 per 亿元."""


def account_dict(account: GepAccount, lang: str = "zh") -> dict[str, Any]:
    """The account: summary, method and price set, notices, lines grouped by account and
    indicator (quantity, unit, price, value, share, provenance), prices used, series."""
    result = account.result
    known = catalog()
    indicator_names = {code: (i.zh, i.en) for code, i in known.indicators.items()}
    groups: list[dict[str, Any]] = []
    for acc in known.accounts:
        lines = [ln for ln in account.lines if ln.account_code == acc.code]
        if not lines:
            continue
        indicators: list[dict[str, Any]] = []
        for line in lines:
            if not indicators or indicators[-1]["code"] != line.indicator:
                zh, en = indicator_names[line.indicator]
                indicators.append(
                    {"code": line.indicator, "name": zh if lang == "zh" else en, "lines": []}
                )
            indicators[-1]["lines"].append(_line(line, known, lang))
        groups.append(
            {
                "code": acc.code,
                "name": acc.zh if lang == "zh" else acc.en,
                "value": result["accounts"][acc.code]["value"],
                "share": result["accounts"][acc.code]["value"] / account.gross
                if account.gross
                else 0.0,
                "indicators": indicators,
            }
        )
    return {
        **summary(account),
        "gep_yi_yuan": account.gep / YI,
        "method_document": account.method_document,
        "unverified_items": result["method"]["unverified_items"],
        "notices": [n["zh"] if lang == "zh" else n["en"] for n in result["notices"]],
        "accounts": groups,
        "prices_used": result["prices_used"],
        "constant_price_series": result["constant_price_series"],
    }


def _line(line, known, lang: str) -> dict[str, Any]:
    item = known.items[line.code]
    declared = known.indicators[line.indicator].inputs
    provenance = dict(line.provenance)
    for key in ("inputs", "value_inputs"):
        if key in provenance:
            provenance[key] = [
                {**r, "name": _input_name(declared.get(r["input"]), r["input"], lang)}
                for r in provenance[key]
            ]
    return {
        "code": line.code,
        "name": item.zh if lang == "zh" else item.en,
        "quantity": line.quantity,
        "quantity_text": quantity_text(line.quantity),
        "unit": line.unit,
        "price": line.price,
        "price_unit": line.price_unit,
        "value": line.value,
        "share": line.share,
        "valuation": known.valuation_methods[line.valuation][0 if lang == "zh" else 1],
        "verified": line.verified,
        "provenance": provenance,
    }


def _input_name(declared: Input | None, code: str, lang: str) -> str:
    """An input's name as the template calls it (English: its code, an English word); a
    quantity given directly has none."""
    if declared is None:
        return "实物量（直接给出）" if lang == "zh" else "quantity given directly"
    return declared.zh if lang == "zh" else code.replace("_", " ")


def quantity_text(value: float) -> str:
    """A quantity as printed: thousands separated, whole numbers from 10 000 on, else four
    significant digits (no exponent)."""
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:,.4g}" if value else "0"


def charts(
    account: dict[str, Any], children: list[dict[str, Any]], lang: str
) -> dict[str, dict[str, Any]]:
    """ECharts options: value by line, share by account, the constant-price series, and the
    regions below (when any has an account)."""
    zh = lang == "zh"
    lines = [ln for acc in account["accounts"] for ind in acc["indicators"] for ln in ind["lines"]]
    lines.sort(key=lambda ln: ln["value"], reverse=True)
    out = {
        "lines": bar_chart(
            "各条目价值（万元）" if zh else "Value by item (10⁴ yuan)",
            [ln["name"] for ln in lines],
            [ln["value"] for ln in lines],
            "万元" if zh else "10⁴ yuan",
        ),
        "accounts": _pie(
            "三类账户构成" if zh else "Accounts",
            [(acc["name"], acc["value"]) for acc in account["accounts"]],
        ),
        "series": _series(
            (
                f"GEP 可比价序列（{account['year']} 年价格，亿元）"
                if zh
                else f"GEP at {account['year']} prices (10⁸ yuan)"
            ),
            account["constant_price_series"],
        ),
    }
    priced = [c for c in children if c["gep"] is not None]
    if priced:
        out["children"] = bar_chart(
            "下级行政区 GEP（亿元）" if zh else "GEP of the regions below (10⁸ yuan)",
            [c["name"] for c in priced],
            [c["gep"] / YI for c in priced],
            "亿元" if zh else "10⁸ yuan",
        )
    return out


def _pie(title: str, parts: list[tuple[str, float]]) -> dict[str, Any]:
    return {
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"bottom": 0},
        "color": list(ACCOUNT_COLOURS),
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "data": [{"name": name, "value": round(value, 2)} for name, value in parts],
                "label": {"formatter": "{b}\n{d}%"},
            }
        ],
        "animation": False,
    }


def _series(title: str, series: dict[str, float]) -> dict[str, Any]:
    return {
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": list(series)},
        "yAxis": {"type": "value", "scale": True},
        "series": [
            {
                "type": "line",
                "data": [round(v / YI, 4) for v in series.values()],
                "itemStyle": {"color": OBSERVED},
                "label": {"show": True},
            }
        ],
        "animation": False,
    }


def child_dict(region: Region, account: GepAccount | None) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "gep": account.gep if account else None,
        "gep_gdp_ratio": account.gep / account.gdp if account and account.gdp else None,
        "method": account.method_code if account else None,
        "version": account.version if account else None,
    }


def choices(lang: str = "zh") -> dict[str, Any]:
    """The packaged method sets and price sets an upload may choose (no file paths on the web)."""
    methods = [load_method_set(code) for code in method_codes()]
    prices = [load_price_set(code) for code in packaged_price_sets()]
    return {
        "methods": [
            {"code": m.code, "name": m.zh if lang == "zh" else m.en, "verified": m.verified}
            for m in methods
        ],
        "price_sets": [
            {"code": p.code, "name": p.zh if lang == "zh" else p.en, "version": p.version}
            for p in prices
        ],
        "default_method": DEFAULT_METHOD,
        "default_prices": DEFAULT_PRICE_SET,
    }
