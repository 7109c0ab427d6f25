"""The 甘孜州 2010 GEP case (GEP.md §5.1) reproduced line by line from its quantities and prices.

The case is read from ``../shared/facts/gep/ganzi_2010_testcase.csv`` (skipped when absent).
Each priced line is fed its published physical quantity as a directly given quantity, valued
with the packaged ``ganzi_2010`` price set, and must match the published value within the
published rounding: half a unit of the quantity's last printed digit times the price, plus half
a unit of the value's last printed digit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from ecociv.gep.catalog import load_method_set
from ecociv.gep.compute import compute
from ecociv.gep.inputs import AccountingInputs, YearInputs, measured
from ecociv.gep.prices import load_price_set

CASE = Path(__file__).resolve().parents[3] / "shared" / "facts" / "gep" / "ganzi_2010_testcase.csv"
CASE = CASE if CASE.exists() else Path("/work/shared/facts/gep/ganzi_2010_testcase.csv")
D = Decimal
YI = D(10_000)  # 万元 per 亿元

# (indicator, start of component) in the CSV → item code of data/accounts.yaml
ITEMS = {
    ("水资源", "生活用水"): "water_supply.domestic",
    ("水资源", "工业用水"): "water_supply.industrial",
    ("水资源", "农业用水"): "water_supply.agricultural",
    ("生态能源", "水力发电"): "eco_energy.hydropower",
    ("水源涵养", "水源涵养量"): "water_conservation.volume",
    ("土壤保持", "减少泥沙淤积"): "soil_retention.sediment",
    ("土壤保持", "减少N面源污染"): "soil_retention.nitrogen",
    ("土壤保持", "减少P面源污染"): "soil_retention.phosphorus",
    ("防风固沙", "固沙量"): "sand_fixation.area",
    ("洪水调蓄", "湖泊调蓄量"): "flood_regulation.lake",
    ("洪水调蓄", "水库调蓄量"): "flood_regulation.reservoir",
    ("洪水调蓄", "沼泽调蓄量"): "flood_regulation.marsh",
    ("大气净化", "SO2"): "air_purification.so2",
    ("大气净化", "氮氧化物"): "air_purification.nox",
    ("大气净化", "工业粉尘"): "air_purification.dust",
    ("水质净化", "COD"): "water_purification.cod",
    ("水质净化", "氨氮"): "water_purification.ammonia",
    ("固碳释氧", "固碳量"): "carbon_oxygen.carbon",
    ("固碳释氧", "释氧量"): "carbon_oxygen.oxygen",
    ("气候调节", "植被蒸腾降温增湿"): "climate_regulation.vegetation",
    ("气候调节", "水面蒸发降温增湿"): "climate_regulation.water_surface",
    ("病虫害控制", "森林"): "pest_control.forest",
    ("病虫害控制", "草地"): "pest_control.grassland",
}
NET_OUTPUT = {
    "农业产品": "agriculture",
    "林业产品": "forestry",
    "畜牧业产品": "livestock",
    "渔业产品": "fishery",
}
CSV_UNITS = {"m3": "m³", "m2": "m²", "hm2": "hm²", "kWh": "kWh", "t": "t"}


def _rows() -> list[dict[str, str]]:
    if not CASE.exists():
        pytest.skip(f"甘孜州 2010 案例文件不存在 / the Ganzi 2010 case is absent: {CASE}")
    with CASE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _half_unit(text: str) -> Decimal:
    """Half a unit of the last printed digit of *text* (``1.36e8`` → 0.005e8)."""
    return Decimal(1).scaleb(Decimal(text).as_tuple().exponent) / 2


def _item(row: dict[str, str]) -> str:
    return next(
        code
        for (ind, comp), code in ITEMS.items()
        if row["indicator"] == ind and row["component"].startswith(comp)
    )


def _priced_rows() -> list[dict[str, str]]:
    return [r for r in _rows() if r["unit_price"]]


def _case_inputs() -> AccountingInputs:
    year = YearInputs()
    for row in _rows():
        if row["unit_price"]:
            year.quantities[_item(row)] = measured(row["quantity"], CSV_UNITS[row["quantity_unit"]])
        elif row["indicator"] in NET_OUTPUT:
            year.values[("farm_products", NET_OUTPUT[row["indicator"]])] = {
                "": measured(row["published_value_yi_yuan"], "亿元")
            }
        elif row["account"] == "cultural":
            # GZ gives the travel-cost value only, not TE/TV/CS apart: it enters as TE.
            values = {
                "visitors": measured(row["quantity"], "人次"),
                "expenditure": measured(row["published_value_yi_yuan"], "亿元"),
            }
            values |= {k: measured(0, "万元") for k in ("time_cost", "consumer_surplus")}
            year.values |= {("recreation", k): {"": v} for k, v in values.items()}
    return AccountingInputs(region="甘孜藏族自治州", years={2010: year})


@pytest.fixture(scope="module")
def result():
    return compute(
        load_method_set("ouyang_ganzi_2017"), load_price_set("ganzi_2010"), _case_inputs(), 2010
    )


def test_every_priced_line_is_mapped_and_the_packaged_price_is_the_published_one(result):
    prices = {line.code: line.price for line in result.lines if line.price}
    rows = _priced_rows()
    assert len(rows) == 23
    for row in rows:
        price = prices[_item(row)]
        assert price.value == Decimal(row["unit_price"]), row["component"]
        assert (
            price.unit.replace("元", "yuan").replace("³", "3").replace("²", "2")
            == row["price_unit"]
        )


@pytest.mark.parametrize("index", range(23))
def test_line_within_published_rounding(result, index):
    row = _priced_rows()[index]
    line = next(ln for ln in result.lines if ln.code == _item(row))
    published = Decimal(row["published_value_yi_yuan"])
    price = Decimal(row["unit_price"])
    tolerance = _half_unit(row["quantity"]) * price / Decimal(10**8) + _half_unit(
        row["published_value_yi_yuan"]
    )
    assert abs(line.value / YI - published) <= tolerance, (
        row["component"],
        line.value / YI,
        published,
    )


def test_account_totals_and_gep_within_rounding(result):
    rows = _rows()
    published = {
        r["indicator"]: Decimal(r["published_value_yi_yuan"])
        for r in rows
        if r["account"] == "total"
    }
    line_slack = sum(
        (
            _half_unit(r["quantity"]) * Decimal(r["unit_price"]) / Decimal(10**8)
            + _half_unit(r["published_value_yi_yuan"])
            for r in _priced_rows()
        ),
        Decimal(0),
    )
    for account in ("provisioning", "regulating", "cultural"):
        assert abs(result.accounts[account] / YI - published[account]) <= line_slack + Decimal(
            "0.005"
        ), account
    assert abs(result.gep / YI - published["GEP"]) <= line_slack + Decimal("0.005")
    assert result.gep == result.gross  # the Ouyang set has no external-origin deduction


def test_case_result_lists_every_price_used_and_flags_undeflated_years(result):
    keys = {p.key for p in result.prices_used}
    assert {"reservoir_cost", "so2_treatment_cost", "electricity_price", "carbon_price"} <= keys
    assert any("2003" in zh for zh, _en in result.notices)


def test_soil_and_sand_lines_from_their_physical_inputs():
    """GZ §3.2.2/§3.2.3: retained soil 38.86 亿t and fixed sand 779.42 万t, through the formulas
    and the packaged coefficients, give the published values within the inputs' rounding."""
    year = YearInputs(
        values={
            ("soil_retention", "retention"): {"": measured("38.86", "亿t")},
            ("sand_fixation", "fixed_sand"): {"": measured("779.42", "万t")},
        }
    )
    result = compute(
        load_method_set("ouyang_ganzi_2017"),
        load_price_set("ganzi_2010"),
        AccountingInputs(years={2010: year}),
        2010,
    )
    lines = {ln.code: ln.value / YI for ln in result.lines}
    # (published 亿元, value per 亿t or 万t of input in 亿元, half unit of the input's last digit)
    cases = {
        "soil_retention.sediment": (D("156.2555"), D("0.24") / D("0.93") * D("15.58"), D("0.005")),
        "soil_retention.nitrogen": (D("125.8199"), D("0.0037") * 875, D("0.005")),
        "soil_retention.phosphorus": (D("117.5226"), D("0.00108") * 2800, D("0.005")),
        "sand_fixation.area": (D("2.2835"), D("3.75") / D("0.128") / 10_000, D("0.005")),
    }
    for code, (published, slope, half) in cases.items():
        assert abs(lines[code] - published) <= slope * half + D("0.00005"), code
