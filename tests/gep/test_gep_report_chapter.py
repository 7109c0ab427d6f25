"""The GEP chapter of the reports: its data from a stored result, its Word fragment, the
fragment inserted into a report template as a subdocument, and the store's lookup."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate

from ecociv.gep.catalog import load_method_set
from ecociv.gep.compute import compute
from ecociv.gep.example import write_example
from ecociv.gep.output import result_dict
from ecociv.gep.prices import load_price_set
from ecociv.gep.report_chapter import build_chapter, render_fragment, section_context
from ecociv.gep.workbook import read_inputs

GANZI = load_price_set("ganzi_2010")


def _result(tmp_path: Path, method: str = "ouyang_ganzi_2017", scale: float = 1.0) -> dict:
    path = tmp_path / "gep.xlsx"
    write_example(path, region_name="西溪区", region_code="990101", year=2023, scale=scale)
    return result_dict(compute(load_method_set(method), GANZI, read_inputs(path), 2023))


def test_chapter_facts_and_table_follow_the_result(tmp_path):
    result = _result(tmp_path)
    chapter = build_chapter(result, "zh")
    assert chapter.title == "生态产品总值（GEP）核算"
    assert chapter.facts[0].startswith(f"西溪区2023 年 GEP 为 {result['gep'] / 10_000:,.2f} 亿元")
    assert f"{result['gep_gdp_ratio']:.2f}" in chapter.facts[2]
    assert "增长" in chapter.facts[3]
    rows = chapter.table.rows
    assert len(rows) == len(result["lines"]) + 3 + 1  # lines, three subtotals, GEP
    assert rows[-1] == {"item": "GEP", "value": round(result["gep"], 2)}
    assert sum(r["value"] for r in rows if r.get("item") == "小计") == pytest.approx(
        result["gross"], abs=0.05
    )
    assert {r["name"] for r in chapter.prices.rows} == {p["zh"] for p in result["prices_used"]}
    english = build_chapter(result, "en")
    assert english.facts[0].startswith("The GEP of 西溪区 in 2023 is")
    assert english.table.headers[5] == "Value (10⁴ yuan)"


def test_an_unverified_method_puts_its_items_first_among_the_notices(tmp_path):
    chapter = build_chapter(_result(tmp_path, "db33_2274_2025"), "zh")
    assert chapter.notices[0].startswith("所用方法集未经标准原文核实")
    assert "水源涵养量" in chapter.notices[0]
    assert all(r["verified"] == "否（未核实）" for r in chapter.table.rows if "verified" in r)


def test_the_fragment_renders_and_goes_into_a_report_as_a_subdocument(tmp_path):
    chapter = build_chapter(_result(tmp_path), "zh")
    fragment = tmp_path / "chapter.docx"
    render_fragment(chapter, fragment)
    document = Document(str(fragment))
    texts = [p.text for p in document.paragraphs]
    assert "生态产品总值（GEP）核算" in texts and chapter.facts[0] in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(chapter.table.headers)
    assert len(table.rows) == 1 + len(chapter.table.rows)
    assert table.rows[-1].cells[1].text == "GEP"

    report = Document()
    report.add_paragraph("一、总体情况")
    report.add_paragraph("{{p gep_chapter }}")
    report.add_paragraph("二、存在问题")
    template_path = tmp_path / "report.docx"
    report.save(str(template_path))
    template = DocxTemplate(str(template_path))
    template.render({"gep_chapter": template.new_subdoc(str(fragment))})
    out = BytesIO()
    template.save(out)
    merged = Document(BytesIO(out.getvalue()))
    order = [p.text for p in merged.paragraphs]
    assert order.index("一、总体情况") < order.index(chapter.facts[0]) < order.index("二、存在问题")
    assert len(merged.tables) == 2


def test_section_context_has_the_shape_of_a_report_section(tmp_path):
    from ecociv.report.model import Report, Section, Table, context_of

    chapter = build_chapter(_result(tmp_path), "zh")
    section = section_context(chapter, "五")
    table = Table("t", "c", ["h"], ["k"], [{"k": 1}], "n")
    report = Report(
        "annual", "zh", "t", "1", "r", 1, "p", 1, 2023, "2021—2025", "s", "rev", "now",
        [Section("一", "x", table=table)],
    )  # fmt: skip
    reference = context_of(report)["sections"][0]
    assert set(section) == set(reference)
    assert set(section["table"]) == set(reference["table"])
    assert section["facts"][: len(chapter.facts)] == chapter.facts


def test_the_store_gives_the_chapter_of_the_newest_account(session, tmp_path):
    from ecociv.store.services import gep_accounts, regions

    regions.create_region(session, "t", code="99", name="测试省", level="province")
    regions.create_region(
        session, "t", code="990101", name="西溪区", level="county", parent_code="99"
    )
    assert gep_accounts.report_chapter(session, "990101", 2023) is None
    for scale in (1.0, 1.5):
        buffer = BytesIO()
        write_example(buffer, region_name="西溪区", region_code="990101", year=2023, scale=scale)
        gep_accounts.compute_and_store(
            session, "t", region_code="990101", content=buffer.getvalue(), filename="g.xlsx",
            year=2023, method=load_method_set("ouyang_ganzi_2017"), prices=GANZI,
        )  # fmt: skip
    chapter = gep_accounts.report_chapter(session, "990101", 2023)
    newest = gep_accounts.get_account(session, "990101", 2023)
    assert newest.version == 2 and chapter.facts[0] == build_chapter(newest.result).facts[0]
