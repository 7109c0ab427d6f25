"""Compute: properties (value linear in price, zero area gives zero, negatives refused), the
deflator, year-on-year change at constant prices, GEP/GDP, the deduction and the notices."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.errors import ConfigError, InputError
from ecociv.gep.catalog import load_method_set
from ecociv.gep.compute import compute
from ecociv.gep.inputs import AccountingInputs, Deduction, Measured, YearInputs, measured
from ecociv.gep.prices import Deflator, load_price_set

D = Decimal
OUYANG = load_method_set("ouyang_ganzi_2017")
GANZI = load_price_set("ganzi_2010")
amounts = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(
    min_value=D("0.001"), max_value=10**5, places=3, allow_nan=False, allow_infinity=False
)


def _inputs(values: dict[tuple[str, str], dict[str, tuple]], year: int = 2020) -> AccountingInputs:
    year_inputs = YearInputs()
    for key, rows in values.items():
        year_inputs.values[key] = {
            part: measured(v[0], v[1], source=(v[2:] or ("",))[0]) for part, v in rows.items()
        }
    return AccountingInputs(region="测试区", years={year: year_inputs})


def _with_price(key: str, value: Decimal):
    price = GANZI.entries[key]
    changed = dataclasses.replace(
        price, value=value, per_canonical=value * price.per_canonical / price.value
    )
    return dataclasses.replace(GANZI, entries={**GANZI.entries, key: changed})


def _line(result, code):
    return next(ln for ln in result.lines if ln.code == code)


@settings(max_examples=40, deadline=None)
@given(quantity=amounts, price=positive, k=st.integers(min_value=0, max_value=50))
def test_value_is_linear_in_price(quantity, price, k):
    given_ = _inputs({("water_supply", "industrial"): {"": (quantity, "m³")}})
    one = compute(OUYANG, _with_price("water_price_industrial", price), given_, 2020)
    many = compute(OUYANG, _with_price("water_price_industrial", price * k), given_, 2020)
    assert (
        _line(many, "water_supply.industrial").value
        == k * _line(one, "water_supply.industrial").value
    )
    assert _line(one, "water_supply.industrial").value == quantity * price / 10_000


@settings(max_examples=40, deadline=None)
@given(
    rain=amounts,
    share=st.decimals(min_value=0, max_value=1, places=2),
    types=st.sets(st.sampled_from(["森林", "草地", "湿地", "农田"]), min_size=1),
)
def test_zero_area_gives_zero(rain, share, types):
    runoff = rain * share / 2
    water = {
        ("water_conservation", "precipitation"): {t: (rain, "mm") for t in types},
        ("water_conservation", "runoff"): {t: (runoff, "mm") for t in types},
        ("water_conservation", "evapotranspiration"): {t: (runoff, "mm") for t in types},
        ("water_conservation", "area"): {t: (0, "km²") for t in types},
        ("pest_control", "forest_area"): {"": (0, "hm²")},
    }
    result = compute(OUYANG, GANZI, _inputs(water), 2020)
    assert _line(result, "water_conservation.volume").value == 0
    assert _line(result, "pest_control.forest").value == 0
    assert result.gep == 0


@settings(max_examples=30, deadline=None)
@given(
    value=st.decimals(max_value=D("-0.0001"), min_value=-(10**9), places=4),
    unit=st.sampled_from(["m³", "亿m³", "t", "万吨", "km²", "mm", "万元"]),
)
def test_a_negative_physical_quantity_is_refused(value, unit):
    with pytest.raises(InputError) as err:
        measured(value, unit, where="in.xlsx 实物量!G9")
    assert "负" in err.value.zh and "negative" in err.value.en
    assert err.value.where == "in.xlsx 实物量!G9"


@settings(max_examples=20, deadline=None)
@given(value=st.decimals(max_value=D("-0.001"), min_value=-(10**6), places=3))
def test_a_negative_value_built_by_hand_is_refused_by_compute(value):
    year = YearInputs(
        values={("air_purification", "so2"): {"": Measured(value, "t", f"{value} t")}}
    )
    with pytest.raises(InputError) as err:
        compute(OUYANG, GANZI, AccountingInputs(years={2020: year}), 2020)
    assert "负数" in err.value.zh and "negative" in err.value.en
    year = YearInputs(
        quantities={"water_conservation.volume": Measured(value, "m³", f"{value} m³")}
    )
    with pytest.raises(InputError):
        compute(OUYANG, GANZI, AccountingInputs(years={2020: year}), 2020)


def test_a_negative_price_in_a_price_set_is_refused(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "code: bad\nentries:\n  - {key: reservoir_cost, zh: 造价, value: -7.06, unit: 元/m³, year: 2020, kind: shadow_project, source: x, marker: P}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match="non-negative"):
        load_price_set(path)


def test_a_price_needs_its_year_and_kind(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "code: bad\nentries:\n  - {key: carbon_price, zh: 碳价, value: 60, unit: 元/t, source: x, marker: S}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_price_set(path)
    assert "year" in err.value.en and "价格年份" in err.value.zh


def test_deflator_brings_old_prices_to_the_accounting_year():
    given_ = _inputs({("air_purification", "so2"): {"": (1000, "t")}}, year=2010)
    plain = compute(OUYANG, GANZI, given_, 2010)
    assert _line(plain, "air_purification.so2").value == D(120)  # 1000 t × 1200 元/t
    assert any("2003" in zh and "未平减" in zh for zh, _ in plain.notices)
    given_.deflator = Deflator({2003: D(100), 2010: D(150)}, "index")
    deflated = compute(OUYANG, GANZI, given_, 2010)
    line = _line(deflated, "air_purification.so2")
    assert line.value == D(180)
    assert line.provenance["price"]["deflator_factor"] == 1.5
    assert not any("未平减" in zh for zh, _ in deflated.notices)


def test_a_missing_index_year_is_named():
    given_ = _inputs({("air_purification", "so2"): {"": (1000, "t")}}, year=2010)
    given_.deflator = Deflator({2010: D(150)}, "gep.xlsx 价格指数")
    with pytest.raises(InputError) as err:
        compute(OUYANG, GANZI, given_, 2010)
    assert "2003" in err.value.zh and err.value.where == "gep.xlsx 价格指数"


def test_series_yoy_gdp_and_deduction():
    given_ = _inputs({("water_supply", "domestic"): {"": (1, "亿m³")}}, year=2020)
    given_.years[2019] = YearInputs(
        values={("water_supply", "domestic"): {"": measured("0.8", "亿m³")}}
    )
    given_.gdp[2020] = measured(100, "亿元")
    given_.deductions[2020] = [Deduction(measured("0.6", "亿元"), "上游来水")]
    result = compute(OUYANG, GANZI, given_, 2020)
    assert result.gross == D(26_000)  # 1 亿m³ × 2.6 元/m³ = 2.6 亿元
    assert result.gep == D(20_000)
    assert result.series == {2019: D(20_800), 2020: D(20_000)}
    assert result.yoy == (D(20_000) - D(20_800)) / D(20_800)
    assert result.gep / result.gdp == D("0.02")


def test_unverified_method_set_is_shown_in_the_notices():
    method = load_method_set("gbt_46869_2025")
    result = compute(method, GANZI, _inputs({("water_supply", "domestic"): {"": (1, "m³")}}), 2020)
    text = " ".join(zh for zh, _ in result.notices)
    assert "未经原文核实" in text
    assert all(f"{m.item.code}" in text for m in method.unverified())
    assert "区域外" in text  # the deduction it asks for was not given
    assert _line(result, "water_supply.domestic").verified is False


def test_price_kind_that_differs_from_the_method_is_a_notice():
    method = load_method_set("gbt_46869_2025")
    result = compute(method, GANZI, _inputs({("carbon_oxygen", "npp"): {"": (100, "t")}}), 2020)
    assert any("碳交易价格法" in zh and "造林成本法" in zh for zh, _ in result.notices)
    assert _line(result, "carbon_oxygen.carbon").quantity == D(163)


def test_partly_filled_item_and_mismatched_components_are_named():
    with pytest.raises(InputError) as err:
        compute(
            OUYANG,
            GANZI,
            _inputs({("water_conservation", "precipitation"): {"森林": (900, "mm")}}),
            2020,
        )
    assert "water_conservation.runoff" in err.value.en
    partial = {
        ("water_conservation", "precipitation"): {"森林": (900, "mm"), "草地": (800, "mm")},
        ("water_conservation", "runoff"): {"森林": (10, "mm")},
        ("water_conservation", "evapotranspiration"): {"森林": (10, "mm"), "草地": (8, "mm")},
        ("water_conservation", "area"): {"森林": (1, "km²"), "草地": (1, "km²")},
    }
    with pytest.raises(InputError) as err:
        compute(OUYANG, GANZI, _inputs(partial), 2020)
    assert "草地" in err.value.zh


def test_a_quantity_given_twice_ways_is_refused():
    given_ = _inputs({("soil_retention", "retention"): {"": (1, "亿t")}})
    given_.years[2020].quantities["soil_retention.sediment"] = measured(
        1, "亿m³", where="x.xlsx 已核算实物量!D2"
    )
    with pytest.raises(InputError) as err:
        compute(OUYANG, GANZI, given_, 2020)
    assert err.value.where == "x.xlsx 已核算实物量!D2"


def test_every_line_carries_its_provenance():
    given_ = _inputs({("soil_retention", "retention"): {"": ("38.86", "亿t", "GZ")}})
    result = compute(OUYANG, GANZI, given_, 2020)
    line = _line(result, "soil_retention.sediment")
    prov = line.provenance
    assert prov["formula"] == "Q_sd = λ·A_s / ρ"
    assert {c["key"] for c in prov["coefficients"]} == {
        "sediment_deposit_ratio",
        "soil_bulk_density",
    }
    assert prov["price"]["key"] == "dredging_cost" and prov["price"]["source"]
    assert prov["inputs"][0]["written"] == "38.86 亿t" and prov["inputs"][0]["source"] == "GZ"
    assert {p.key for p in result.prices_used} >= {
        "dredging_cost",
        "sediment_deposit_ratio",
        "nitrogen_treatment_cost",
    }


def test_years_counting_different_items_are_flagged():
    given_ = _inputs(
        {
            ("water_supply", "domestic"): {"": (1, "亿m³")},
            ("eco_energy", "hydropower"): {"": (1, "kWh")},
        }
    )
    given_.years[2019] = YearInputs(
        values={("water_supply", "domestic"): {"": measured(1, "亿m³")}}
    )
    result = compute(OUYANG, GANZI, given_, 2020)
    assert any("不完全可比" in zh and "eco_energy.hydropower" in zh for zh, _ in result.notices)
    assert result.yoy == D("0.000053") / D(26_000)  # 1 kWh × 0.53 元 on 1 亿m³ × 2.6 元/m³


def test_a_bureau_price_set_file_is_used_and_listed(tmp_path):
    path = tmp_path / "county_2023.yaml"
    path.write_text(
        "code: county_2023\nversion: 2\nentries:\n"
        "  - {key: water_price_domestic, zh: 居民水价, value: 3.1, unit: 元/m³, year: 2023,"
        " kind: market_value, source: 县物价局 2023 文件, marker: P}\n",
        "utf-8",
    )
    prices = load_price_set(path)
    result = compute(
        OUYANG, prices, _inputs({("water_supply", "domestic"): {"": (2, "万m³")}}, 2023), 2023
    )
    assert _line(result, "water_supply.domestic").value == D("6.2")  # 2 万m³ × 3.1 元/m³
    assert [(p.key, p.source) for p in result.prices_used] == [
        ("water_price_domestic", "县物价局 2023 文件")
    ]
    with pytest.raises(ConfigError) as err:
        compute(
            OUYANG, prices, _inputs({("eco_energy", "hydropower"): {"": (1, "kWh")}}, 2023), 2023
        )
    assert "hydropower_price" in err.value.en and err.value.where == str(path)
