"""The GEP chapter (ecociv.report.chapters.gep) in the demo's reports: the stored account's
figures in the Word file, the workbook and the PDF; a region and year without an account
get no chapter, and the sections after it are numbered on."""

from __future__ import annotations

import subprocess

import pytest
from docx import Document
from expected import docx_tables, text
from openpyxl import load_workbook

from ecociv.report.api import make_report
from ecociv.report.registry import kind_spec
from ecociv.store.services import gep_accounts

REGION, YEAR = "990102", 2024  # 澄湖区: the demo stores its 2024 account (scale 1.0)


def _account(session):
    return gep_accounts.get_account(session, REGION, YEAR)


def _expected_rows(result: dict) -> list[list[str]]:
    """The account table as Word prints it, from the stored result (written apart from the
    chapter's code: its own unit rule and labels)."""
    names = {"provisioning": "物质供给", "regulating": "调节服务", "cultural": "文化服务"}
    rows = []
    for code, name in names.items():
        for line in (ln for ln in result["lines"] if ln["account"] == code):
            big = line["quantity"] >= 10_000 and "元" not in line["unit"]
            rows.append(
                [
                    name,
                    line["zh"],
                    text(round(line["quantity"] / 10_000, 4) if big else line["quantity"]),
                    ("万" if big else "") + line["unit"],
                    f"{line['price']:g} {line['price_unit']}" if line["price"] else "—",
                    text(round(line["value"], 2)),
                    text(round(line["share"] * 100, 2)),
                ]
            )
        subtotal = result["accounts"][code]["value"]
        share = round(subtotal / result["gross"] * 100, 2)
        rows.append([name, "小计", "—", "—", "—", text(round(subtotal, 2)), text(share)])
    rows.append(["合计", "生态产品总值", "—", "—", "—", text(round(result["gep"], 2)), "—"])
    return rows


def test_the_annual_report_has_the_stored_account(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "annual.docx"
    make_report(demo_session, "annual", plan_id=plan_id, region_code=REGION, year=YEAR,
                fmt="docx", out=out)  # fmt: skip
    account = _account(demo_session)
    texts = [p.text for p in Document(str(out)).paragraphs]
    heading = texts.index("七、生态产品总值核算")
    assert texts[heading - 1 :].index("八、形势分析") > 1
    assert texts[heading + 1] == (
        "澄湖区2024年生态产品总值（GEP）为68.30亿元，其中物质供给7.91亿元、占11.6%，"
        "调节服务35.44亿元、占51.9%，文化服务24.95亿元、占36.5%。"
    )
    assert f"{account.gep / 10_000:,.2f}亿元" in texts[heading + 1]
    assert texts[heading + 2] == "同年地区生产总值（GDP）326.40亿元，GEP与GDP之比为0.21。"
    assert f"{account.gep / account.gdp:.2f}" in texts[heading + 2]
    assert texts[heading + 3] == "按2024年可比价计，GEP比上年（64.38亿元）增长6.10%。"
    assert f"{account.yoy * 100:.2f}%" in texts[heading + 3]
    assert "第1版核算结果" in texts[heading + 4]
    prices = next(t for t in texts if t.startswith("所用价格："))
    for price in account.result["prices_used"]:
        assert price["source"] in " ".join(texts), price["key"]
    assert "水库单位库容工程造价为7.06元/m³（2010年，GZ §2.4.1（引 LY/T 1721-2008））" in prices
    table = next(t for t in docx_tables(out) if t[0][:2] == ["账户", "核算条目"])
    assert table[0] == ["账户", "核算条目", "实物量", "单位", "单价", "价值量（万元）", "占比（%）"]
    assert table[1:] == _expected_rows(account.result)
    assert table[-1][5] == "682996.15"
    assert [
        "调节服务",
        "水源涵养量",
        "20527.5",
        "万m³",
        "7.06 元/m³",
        "162245.13",
        "23.75",
    ] in table


@pytest.mark.parametrize("kind", ["midterm", "final", "environment-status"])
def test_the_other_kinds_have_it_before_their_editable_sections(
    demo_store, demo_session, tmp_path, kind
):
    _, plan_id, _ = demo_store
    out = tmp_path / f"{kind}.docx"
    report = make_report(demo_session, kind, plan_id=plan_id, region_code=REGION, year=YEAR,
                         fmt="docx", out=out)  # fmt: skip
    titles = [s.number + s.title for s in report.sections]
    position = next(i for i, s in enumerate(report.sections) if s.key == "gep")
    assert report.sections[position + 1].narrative is not None
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert titles[position] in texts and titles[position + 1] in texts
    assert "生态产品总值核算" not in [s.zh for s in kind_spec("completion").sections]


def test_english_report(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "annual.en.docx"
    make_report(demo_session, "annual", plan_id=plan_id, region_code=REGION, year=YEAR,
                fmt="docx", out=out, lang="en")  # fmt: skip
    texts = [p.text for p in Document(str(out)).paragraphs]
    heading = texts.index("7. Gross ecosystem product")
    assert texts[heading + 1].startswith("The GEP of 澄湖区 in 2024 is 68.30 × 10⁸ yuan: ")
    assert "8. Situation" in texts


def test_the_workbook_has_the_account_sheet(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    out = tmp_path / "annual.xlsx"
    make_report(demo_session, "annual", plan_id=plan_id, region_code=REGION, year=YEAR,
                fmt="xlsx", out=out)  # fmt: skip
    account = _account(demo_session)
    sheet = load_workbook(out)["生态产品总值核算表"]
    assert sheet["A1"].value.startswith("表7")
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(account.result["lines"]) + 3 + 1
    assert rows[-1][:2] == ("合计", "生态产品总值") and rows[-1][5] == 682996.15
    water = next(r for r in rows if r[1] == "水源涵养量")
    assert water == ("调节服务", "水源涵养量", 20527.5, "万m³", "7.06 元/m³", 162245.13, 23.75)
    line = next(ln for ln in account.result["lines"] if ln["zh"] == "水源涵养量")
    assert water[5] == round(line["value"], 2) and water[2] == round(line["quantity"] / 1e4, 4)
    cover = [c.value for c in load_workbook(out)["报告"]["A"]]
    assert any(str(v).startswith("七、生态产品总值核算") for v in cover if v)


@pytest.mark.parametrize(("region", "year"), [("990103", 2023), (REGION, 2022)])
def test_no_account_no_chapter(demo_store, demo_session, tmp_path, region, year):
    _, plan_id, _ = demo_store
    assert gep_accounts.report_data(demo_session, region, year) is None
    out = tmp_path / "annual.docx"
    report = make_report(demo_session, "annual", plan_id=plan_id, region_code=region, year=year,
                         fmt="docx", out=out)  # fmt: skip
    assert [s.number for s in report.sections] == [f"{n}、" for n in "一二三四五六七八九"]
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "生态产品总值" not in body and "GEP" not in body
    assert "六、差距清单\n" in body + "\n" and "七、形势分析" in body
    assert not [t for t in docx_tables(out) if t[0][0] == "账户"]
    assert len(docx_tables(out)) == len(report.tables) == 6
    workbook = tmp_path / "annual.xlsx"
    make_report(demo_session, "annual", plan_id=plan_id, region_code=region, year=year,
                fmt="xlsx", out=workbook)  # fmt: skip
    assert "生态产品总值核算表" not in load_workbook(workbook).sheetnames


@pytest.mark.slow
def test_the_pdf_page_of_the_chapter(demo_store, demo_session, libreoffice, artifacts):
    _, plan_id, _ = demo_store
    out = artifacts / f"annual-{REGION}-{YEAR}-gep.pdf"
    make_report(demo_session, "annual", plan_id=plan_id, region_code=REGION, year=YEAR,
                fmt="pdf", out=out)  # fmt: skip

    def run(*command: str) -> str:
        return subprocess.run(command, capture_output=True, text=True, check=True,
                              timeout=120).stdout  # fmt: skip

    compact = "".join(run("pdftotext", str(out), "-").split())
    for words in ("七、生态产品总值核算", "68.30亿元", "表7生态产品总值核算表（2024年）",
                  "水源涵养量", "162245.13", "682996.15", "八、形势分析"):  # fmt: skip
        assert words in compact, words
    pages = int(next(ln for ln in run("pdfinfo", str(out)).splitlines()
                     if ln.startswith("Pages:")).split()[1])  # fmt: skip
    page = next(
        n for n in range(1, pages + 1)
        if "生态产品总值核算表" in "".join(run("pdftotext", "-f", str(n), "-l", str(n), str(out), "-").split())
    )  # fmt: skip
    stem = artifacts / f"annual-{REGION}-{YEAR}-gep"
    run("pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-png", str(out), str(stem))
    assert list(artifacts.glob(f"{stem.name}-*.png"))
