"""The GEP chapter of the reports: its paragraphs and account table from a stored result,
and the store's reading of the newest account (None without one).  The chapter in the
rendered reports is tested in tests/report/test_report_gep_chapter.py."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecociv.gep.catalog import load_method_set
from ecociv.gep.compute import compute
from ecociv.gep.example import write_example
from ecociv.gep.output import result_dict
from ecociv.gep.prices import load_price_set
from ecociv.gep.workbook import read_inputs
from ecociv.report.chapters.gep import TABLE, facts, rows
from ecociv.report.registry import TYPE_AREA_WIDTH_MM

GANZI = load_price_set("ganzi_2010")


def _result(folder: Path, method: str = "ouyang_ganzi_2017", scale: float = 1.0) -> dict:
    path = folder / f"gep-{method}-{scale}.xlsx"
    write_example(path, region_name="西溪区", region_code="990101", year=2023, scale=scale)
    return result_dict(compute(load_method_set(method), GANZI, read_inputs(path), 2023))


def test_facts_give_gep_ratio_change_method_and_every_price(tmp_path):
    result = _result(tmp_path)
    paragraphs = facts({"version": 3, "result": result}, "zh")
    accounts = result["accounts"]
    assert paragraphs[0] == (
        f"西溪区2023年生态产品总值（GEP）为{result['gep'] / 10_000:,.2f}亿元，其中"
        f"物质供给{accounts['provisioning']['value'] / 10_000:,.2f}亿元、"
        f"占{accounts['provisioning']['value'] / result['gross'] * 100:.1f}%，"
        f"调节服务{accounts['regulating']['value'] / 10_000:,.2f}亿元、"
        f"占{accounts['regulating']['value'] / result['gross'] * 100:.1f}%，"
        f"文化服务{accounts['cultural']['value'] / 10_000:,.2f}亿元、"
        f"占{accounts['cultural']['value'] / result['gross'] * 100:.1f}%。"
    )
    assert paragraphs[1] == (
        f"同年地区生产总值（GDP）{result['gdp'] / 10_000:,.2f}亿元，"
        f"GEP与GDP之比为{result['gep_gdp_ratio']:.2f}。"
    )
    last = result["constant_price_series"]["2022"]
    assert paragraphs[2] == (
        f"按2023年可比价计，GEP比上年（{last / 10_000:,.2f}亿元）增长"
        f"{result['yoy_change_constant_prices'] * 100:.2f}%。"
    )
    assert "第3版核算结果" in paragraphs[3] and "甘孜州 2010 年" in paragraphs[3]
    assert not any("未经标准原文核实" in p for p in paragraphs)  # the Ouyang method was read
    prices, coefficients = paragraphs[-2:]
    assert prices.startswith("所用价格：氨氮治理成本为875元/t（2003年，")
    assert "；生活用水价格为2.6元/m³（2010年，GZ 表3）；" in prices
    assert "土壤容重 ρ为0.93t/m³（2010年，GZ §2.4.2）" in coefficients
    assert prices.count("；") + coefficients.count("；") == len(result["prices_used"]) - 2
    skipped = next(p for p in paragraphs if p.startswith("未填报，未计入："))
    assert "畜牧业产品、" in skipped and "farm_products" not in skipped and skipped.endswith("。")
    english = facts({"version": 3, "result": result}, "en")
    assert english[0].startswith(f"The GEP of 西溪区 in 2023 is {result['gep'] / 10_000:,.2f}")
    assert "Not filled in, not counted: livestock products, " in " ".join(english)
    assert "每吨干物质固定 CO₂ 1.63 (2010, " in english[-1]


def test_an_unverified_method_names_its_items_in_the_facts_and_the_table(tmp_path):
    result = _result(tmp_path, "db33_2274_2025")
    paragraphs = facts({"version": 1, "result": result}, "zh")
    named = next(p for p in paragraphs if "未经标准原文核实" in p)
    assert "水源涵养量" in named and "固碳量" in named
    table = rows({"version": 1, "result": result}, "zh")
    lines = [r for r in table if r.get("quantity") is not None]
    assert lines and all(str(r["item"]).endswith("（未核实）") for r in lines)


def test_rows_follow_the_accounts_and_add_up(tmp_path):
    result = _result(tmp_path)
    table = rows({"version": 1, "result": result}, "zh")
    assert len(table) == len(result["lines"]) + 3 + 1  # lines, three subtotals, GEP
    assert table[0]["account"] == table[1]["account"] == "物质供给"
    assert table[-1] == {
        "account": "合计", "item": "生态产品总值", "value": round(result["gep"], 2)
    }  # fmt: skip
    subtotals = [r for r in table if r["item"] == "小计"]
    assert [r["account"] for r in subtotals] == ["物质供给", "调节服务", "文化服务"]
    assert sum(r["value"] for r in subtotals) == pytest.approx(result["gross"], abs=0.02)
    assert sum(r["share"] for r in subtotals) == pytest.approx(100, abs=0.02)
    water = next(r for r in table if r["item"] == "水源涵养量")
    line = next(ln for ln in result["lines"] if ln["zh"] == "水源涵养量")
    assert water["unit"] == "万m³" and water["quantity"] == round(line["quantity"] / 10_000, 2)
    assert water["price"] == "7.06 元/m³" and water["value"] == round(line["value"], 2)
    assert {c.key for c in TABLE.columns} == {"account", "item", "quantity", "unit", "price",
                                              "value", "share"}  # fmt: skip
    assert sum(c.width for c in TABLE.columns) == TYPE_AREA_WIDTH_MM


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scale=st.floats(min_value=0.05, max_value=40))
def test_line_values_add_up_to_gep_at_any_scale(tmp_path_factory, scale):
    result = _result(tmp_path_factory.mktemp("gep"), scale=scale)
    table = rows({"version": 1, "result": result}, "en")
    lines = [r for r in table if r.get("unit")]
    assert sum(r["value"] for r in lines) == pytest.approx(result["gep"], abs=0.01 * len(lines))
    assert table[-1]["value"] == round(result["gep"], 2)


def test_the_store_gives_the_newest_account_or_none(session):
    from ecociv.store.services import gep_accounts, regions

    regions.create_region(session, "t", code="99", name="测试省", level="province")
    regions.create_region(
        session, "t", code="990101", name="西溪区", level="county", parent_code="99"
    )
    assert gep_accounts.report_data(session, "990101", 2023) is None
    for scale in (1.0, 1.5):
        buffer = BytesIO()
        write_example(buffer, region_name="西溪区", region_code="990101", year=2023, scale=scale)
        gep_accounts.compute_and_store(
            session, "t", region_code="990101", content=buffer.getvalue(), filename="g.xlsx",
            year=2023, method=load_method_set("ouyang_ganzi_2017"), prices=GANZI,
        )  # fmt: skip
    data = gep_accounts.report_data(session, "990101", 2023)
    newest = gep_accounts.get_account(session, "990101", 2023)
    assert newest.version == 2
    assert data == {"version": 2, "result": newest.result}
    assert gep_accounts.report_data(session, "990101", 2022) is None


def test_a_deduction_of_external_origin_is_a_row_and_said(tmp_path):
    result = {**_result(tmp_path), "external_deduction": 1234.5}
    result["gep"] = result["gross"] - 1234.5
    table = rows({"version": 1, "result": result}, "zh")
    assert table[-2] == {"account": "扣除", "item": "区域外生态产品价值", "value": -1234.5}
    first = facts({"version": 1, "result": result}, "zh")[0]
    assert f"为{result['gep'] / 10_000:,.2f}亿元（已扣除区域外生态产品价值0.12亿元），其中" in first
