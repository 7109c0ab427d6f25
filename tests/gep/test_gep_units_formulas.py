"""Units (mm × m² → m³, t vs 万t, 元 vs 亿元) and the formulas, with literal values from GZ."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecociv.errors import InputError
from ecociv.gep import formulas as f
from ecociv.gep.inputs import measured
from ecociv.gep.units import scale

D = Decimal


def test_mm_over_square_metres_gives_cubic_metres():
    p, r, et = (measured(v, "mm").value for v in (800, 50, 400))
    area = measured(1, "km²").value
    assert f.water_conservation({"森林": p}, {"森林": r}, {"森林": et}, {"森林": area}) == D(
        350_000
    )
    one = measured(1000, "毫米").value
    assert f.water_conservation({"x": one}, {"x": D(0)}, {"x": D(0)}, {"x": D(1)}) == D(1)


@pytest.mark.parametrize(
    ("value", "unit", "canonical", "expected"),
    [
        ("2.5", "万吨", "t", D(25_000)),
        ("2.5", "万t", "t", D(25_000)),
        ("38.86", "亿t", "t", D(3_886_000_000)),
        ("1500", "kg", "t", D("1.5")),
        ("1", "亿元", "万元", D(10_000)),
        ("1", "元", "万元", D("0.0001")),
        ("321.49", "亿m³", "m³", D(32_149_000_000)),
        ("158", "万hm²", "m²", D(15_800_000_000)),
        ("2799.10", "亿kWh", "kWh", D(279_910_000_000)),
        ("2450", "J/g", "kJ/kg", D(2450)),
    ],
)
def test_written_units_convert_exactly(value, unit, canonical, expected):
    m = measured(value, unit)
    assert (m.unit, m.value) == (canonical, expected)


def test_price_units_are_money_over_quantity():
    assert scale("元/m³").canonical == "万元/m³" and scale("元/m³").factor == D("0.0001")
    # 375 元/hm² × 158 万hm² = 5.925 亿元 (GZ 病虫害控制, 森林)
    per_m2 = D(375) * scale("元/hm²").factor
    assert per_m2 * measured(158, "万hm²").value == D(59_250)
    assert D("3.57") * scale("万元/t").factor == D("3.57")
    assert D("1.2") * scale("元/kg").factor * 10_000 == D(1200)  # 1.2 元/kg = 1200 元/t
    assert scale("t/m³").is_price is False and scale("元/t").is_price is True


def test_unknown_or_wrong_kind_of_unit_is_refused():
    with pytest.raises(InputError, match="unknown unit"):
        measured(1, "立方英尺")
    with pytest.raises(InputError) as err:
        measured(1, "t", expect="m³", where="in.xlsx 实物量!G5")
    assert err.value.where == "in.xlsx 实物量!G5"
    assert "m³" in err.value.zh and "m³" in err.value.en


def test_soil_retention_from_ganzi_retained_soil():
    retained = measured("38.86", "亿t").value
    # GZ: 10.03 亿 m³ sediment, 1437.94 万t N, 419.72 万t P (printed, rounded)
    sediment = f.sediment_volume(retained, D("0.24"), D("0.93"))
    assert abs(sediment - D("10.03e8")) < D("0.005e8")
    assert f.nutrient_load(retained, D("0.37")) == D(14_378_200)
    assert f.nutrient_load(retained, D("0.108")) == D(4_196_880)


def test_sand_flood_and_climate_formulas_literal():
    assert abs(f.sand_fixation_area(D("779.42e4"), D("1.28"), D("0.1")) - D("60.89e6")) < D(
        "0.005e6"
    )
    assert f.marsh_storage(measured(2000, "km²").value, D("0.3")) == D("6.00e8")
    assert f.reservoir_storage(D(100_000_000), D("0.35")) == D(35_000_000)
    lake = f.lake_storage({"湖A": measured(1, "km²").value}, D("6.636"), D("0.678"))
    assert abs(lake - D("762.04e4")) <= D(50)  # e^6.636 = 762.04 万m³ (±0.005 万) for 1 km²
    assert f.lake_storage({"湖A": D(0)}, D("6.636"), D("0.678")) == 0
    assert f.transpiration_cooling({"森林": D(3600)}, {"森林": D(1)}, D(1), D(1)) == D(1)
    assert f.transpiration_cooling({"森林": D(3600)}, {"森林": D(3)}, D(10), D(3)) == D(10)
    assert f.evaporation_cooling(D(36), D(1), D(2450), D(120)) == D(
        36 * 1000 * 2450 / 3600 + 36 * 120
    )
    assert f.travel_cost(D(1), D(2), D(3)) == D(6)
    assert f.scaled(D(100), D("1.63")) == D(163)


def test_a_type_with_more_runoff_and_et_than_rain_is_refused():
    with pytest.raises(f.NegativeComponent) as err:
        f.water_conservation(
            {"草地": D("0.3")}, {"草地": D("0.1")}, {"草地": D("0.4")}, {"草地": D(5)}
        )
    assert err.value.component == "草地"


def test_every_formula_says_its_source_and_units():
    for formula in f.FORMULAS.values():
        assert formula.source and formula.text, formula.name
        assert formula.func.__doc__ and "[" in formula.func.__doc__, formula.name
