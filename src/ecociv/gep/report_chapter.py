"""The GEP chapter of the reports (生态产品总值核算章节), from a stored account.

Pure: it takes the account's result in the form of :func:`ecociv.gep.output.result_dict` (what
``gep_account.result`` stores) and returns the chapter's data — title, facts (GEP, GEP/GDP,
change at constant prices, method and price set), the notices (unverified parts first), the
account table and the table of prices used.  Two ways to put it in a report:

* :func:`section_context` gives it the shape of a section of
  :func:`ecociv.report.model.context_of` (``number``, ``title``, ``facts``, ``table``,
  ``narrative``), so a template's generic section loop prints it unchanged;
* :func:`render_fragment` fills the chapter's own Word fragment
  (``gep/templates/gep_chapter.docx``, a docxtpl template written by
  :func:`write_fragment_template`) with both tables; docxtpl's ``new_subdoc`` then inserts the
  rendered fragment where a report template says ``{{p gep_chapter }}``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ecociv.gep.catalog import catalog

FRAGMENT = Path(__file__).parent / "templates" / "gep_chapter.docx"
YI = 10_000
LABELS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "生态产品总值（GEP）核算",
        "table": "表 GEP 核算表（{year} 年，{method}）",
        "prices": "表 所用价格与参数",
        "headers": ("账户", "条目", "实物量", "单位", "单价", "价值（万元）", "占比", "已核实"),
        "price_headers": ("名称", "数值", "单位", "价格年份", "来源", "资料类别"),
        "yes": "是",
        "no": "否（未核实）",
        "subtotal": "小计",
        "deduction": "区域外生态产品价值扣减",
        "note": "注：价值按 {year} 年价格计；每个数值的输入、公式、单价及其来源见平台 GEP 页或导出的 .xlsx「来源追溯」表。",
        "gep": "{region}{year} 年 GEP 为 {gep:,.2f} 亿元（{method}，价格集 {prices} 第 {version} 版）。",
        "accounts": "其中{parts}。",
        "part": "{name} {value:,.2f} 亿元（{share:.1%}）",
        "ratio": "GEP 与 GDP 之比为 {ratio:.2f}。",
        "yoy": "按 {year} 年可比价计，比上年{word} {change:.2%}。",
        "up": "增长",
        "down": "下降",
        "unverified": "所用方法集未经标准原文核实，以下条目仅供参考：{items}。",
        "markers": {"P": "原文", "S": "二手资料", "R": "待核实"},
    },
    "en": {
        "title": "Gross ecosystem product (GEP)",
        "table": "Table GEP accounts ({year}, {method})",
        "prices": "Table Prices and coefficients used",
        "headers": (
            "Account",
            "Item",
            "Quantity",
            "Unit",
            "Price",
            "Value (10⁴ yuan)",
            "Share",
            "Checked",
        ),
        "price_headers": ("Name", "Value", "Unit", "Price year", "Source", "Source type"),
        "yes": "yes",
        "no": "no (not checked)",
        "subtotal": "subtotal",
        "deduction": "products of external origin deducted",
        "note": "Note: values at {year} prices; the inputs, formula, price and sources of every value are on the platform's GEP page and in the exported .xlsx (sheet 来源追溯).",
        "gep": "The GEP of {region} in {year} is {gep:,.2f} × 10⁸ yuan ({method}, price set {prices} version {version}).",
        "accounts": "Of this, {parts}.",
        "part": "{name} {value:,.2f} × 10⁸ yuan ({share:.1%})",
        "ratio": "GEP is {ratio:.2f} times GDP.",
        "yoy": "At {year} prices it {word} by {change:.2%} on the previous year.",
        "up": "rose",
        "down": "fell",
        "unverified": "The method set was not checked against the standard's text; these items are for reference only: {items}.",
        "markers": {"P": "primary", "S": "secondary", "R": "to check"},
    },
}
KEYS = ("account", "item", "quantity", "unit", "price", "value", "share", "verified")
PRICE_KEYS = ("name", "value", "unit", "year", "source", "marker")


@dataclass(frozen=True)
class ChapterTable:
    caption: str
    headers: tuple[str, ...]
    keys: tuple[str, ...]
    rows: list[dict[str, Any]]
    note: str = ""


@dataclass(frozen=True)
class GepChapter:
    key: str
    title: str
    facts: list[str]
    notices: list[str]
    table: ChapterTable
    prices: ChapterTable
    data: dict[str, Any] = field(default_factory=dict)


def build_chapter(result: dict[str, Any], lang: str = "zh") -> GepChapter:
    """The chapter of the stored *result* (``gep_account.result``) in *lang*."""
    words = LABELS[lang]
    zh = lang == "zh"
    names = {a.code: (a.zh if zh else a.en) for a in catalog().accounts}
    items = catalog().items
    year = result["year"]
    method = result["method"]["zh"] if zh else result["method"]["code"]
    gross = result["gross"] or 0.0
    facts = [
        words["gep"].format(
            region=result["region"],
            year=year,
            gep=result["gep"] / YI,
            method=method,
            prices=result["price_set"]["code"],
            version=result["price_set"]["version"],
        )
    ]
    parts = [
        words["part"].format(
            name=names[code], value=acc["value"] / YI, share=acc["value"] / gross if gross else 0
        )
        for code, acc in result["accounts"].items()
        if acc["value"]
    ]
    if parts:
        facts.append(words["accounts"].format(parts=("，" if zh else ", ").join(parts)))
    if result["gep_gdp_ratio"] is not None:
        facts.append(words["ratio"].format(ratio=result["gep_gdp_ratio"]))
    change = result["yoy_change_constant_prices"]
    if change is not None:
        word = words["up"] if change >= 0 else words["down"]
        facts.append(words["yoy"].format(year=year, word=word, change=abs(change)))
    notices = [n["zh"] if zh else n["en"] for n in result["notices"]]
    unverified = [
        items[code].zh if zh else items[code].en
        for code in result["method"]["unverified_items"]
        if code in {ln["code"] for ln in result["lines"]}
    ]
    if unverified:
        notices.insert(0, words["unverified"].format(items=("、" if zh else ", ").join(unverified)))
    rows: list[dict[str, Any]] = []
    for code, acc in result["accounts"].items():
        lines = [ln for ln in result["lines"] if ln["account"] == code]
        for ln in lines:
            rows.append(
                {
                    "account": names[code],
                    "item": ln["zh"] if zh else ln["en"],
                    "quantity": _round(ln["quantity"], 6),
                    "unit": ln["unit"],
                    "price": f"{ln['price']:g} {ln['price_unit']}"
                    if ln["price"] is not None
                    else None,
                    "value": _round(ln["value"], 2),
                    "share": f"{ln['share']:.2%}",
                    "verified": words["yes"] if ln["verified"] else words["no"],
                }
            )
        if lines:
            rows.append(
                {
                    "account": names[code],
                    "item": words["subtotal"],
                    "value": _round(acc["value"], 2),
                    "share": f"{acc['value'] / gross:.2%}" if gross else None,
                }
            )
    if result["external_deduction"]:
        rows.append({"item": words["deduction"], "value": -round(result["external_deduction"], 2)})
    rows.append({"item": "GEP", "value": _round(result["gep"], 2)})
    table = ChapterTable(
        caption=words["table"].format(year=year, method=method),
        headers=words["headers"],
        keys=KEYS,
        rows=rows,
        note=words["note"].format(year=year),
    )
    prices = ChapterTable(
        caption=words["prices"],
        headers=words["price_headers"],
        keys=PRICE_KEYS,
        rows=[
            {
                "name": p["zh"],
                "value": p["value"],
                "unit": p["unit"],
                "year": p["year"],
                "source": p["source"],
                "marker": words["markers"].get(p["marker"], p["marker"]),
            }
            for p in result["prices_used"]
        ],
    )
    return GepChapter("gep", words["title"], facts, notices, table, prices, result)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.2f}"
    return str(value)


def section_context(chapter: GepChapter, number: str) -> dict[str, Any]:
    """The chapter as one section of a report's template context (``sections[]`` of
    ``docs/reports.md``): facts then notices as paragraphs, the account table."""
    return {
        "number": number,
        "title": chapter.title,
        "facts": chapter.facts + chapter.notices,
        "table": _table_context(chapter.table),
        "narrative": [],
    }


def _table_context(table: ChapterTable) -> dict[str, Any]:
    return {
        "caption": table.caption,
        "headers": list(table.headers),
        "note": table.note,
        "rows": [{k: _cell(row.get(k)) for k in table.keys} for row in table.rows],
    }


def fragment_context(chapter: GepChapter) -> dict[str, Any]:
    """The placeholders of the fragment template: ``title``, ``facts``, ``notices``,
    ``table`` and ``prices`` (each with ``caption``, ``headers``, ``rows``, ``note``)."""
    return {
        "title": chapter.title,
        "facts": chapter.facts,
        "notices": chapter.notices,
        "table": _table_context(chapter.table),
        "prices": _table_context(chapter.prices),
    }


def render_fragment(chapter: GepChapter, out: Path | IO[bytes]) -> None:
    """The chapter as a Word document through its fragment template (one template for both
    languages: every word in it comes from the context)."""
    import jinja2
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(FRAGMENT))
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    document.render(fragment_context(chapter), jinja_env=environment)
    document.save(out)


def write_fragment_template(path: Path) -> None:
    """Write the fragment template: heading, fact paragraphs, notices, the account table and
    the prices table (docxtpl ``{%p %}`` paragraph loops and ``{%tr %}`` row loops)."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.add_heading("{{ title }}", level=1)
    document.add_paragraph("{%p for f in facts %}")
    document.add_paragraph("{{ f }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for n in notices %}")
    notice = document.add_paragraph()
    notice.add_run("{{ n }}").italic = True
    document.add_paragraph("{%p endfor %}")
    for name, keys in (("table", KEYS), ("prices", PRICE_KEYS)):
        document.add_paragraph("{{ " + name + ".caption }}").runs[0].bold = True
        grid = document.add_table(rows=4, cols=len(keys))
        grid.style = "Table Grid"
        for i in range(len(keys)):
            grid.cell(0, i).text = "{{ " + f"{name}.headers[{i}]" + " }}"
        grid.cell(1, 0).text = "{%tr for row in " + name + ".rows %}"
        for i, key in enumerate(keys):
            grid.cell(2, i).text = "{{ row." + key + " }}"
        grid.cell(3, 0).text = "{%tr endfor %}"
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
        document.add_paragraph("{{ " + name + ".note }}")
    document.save(str(path))


if __name__ == "__main__":  # python -m ecociv.gep.report_chapter: write the fragment template
    FRAGMENT.parent.mkdir(exist_ok=True)
    write_fragment_template(FRAGMENT)
    print(FRAGMENT, file=sys.stderr)
