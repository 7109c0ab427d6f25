"""ecociv.geo: GB/T 2260 code layout, the extent of a map point, and district totals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecociv.errors import InputError
from ecociv.geo.additivity import classify, district_total, rules
from ecociv.geo.divisions import check_division_code, level_of, parent_code, provinces
from ecociv.geo.points import check_point, extent


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("330000", "province"),
        ("330500", "city"),
        ("330523", "county"),
        ("110101", "county"),
        ("330523001", "town"),
        ("990100", None),  # 99 is no province
        ("330500000", None),  # a town code needs a county and a town part
        ("33050", None),
        ("３３０５００", None),  # full-width digits are not a code
        ("330523a", None),
    ],
)
def test_level_of_reads_the_code_layout(code, level):
    assert level_of(code) == level


def test_a_code_of_another_level_is_refused_with_both_levels():
    with pytest.raises(InputError) as caught:
        check_division_code("330500", "county")
    assert "地级（市）代码" in caught.value.zh and "县级" in caught.value.zh
    assert check_division_code("330523", "county") == "330523"


@given(st.sampled_from(sorted(provinces())), st.integers(1, 99), st.integers(1, 99))
def test_parent_of_a_county_is_its_city_then_its_province(province, city, county):
    code = f"{province}{city:02d}{county:02d}"
    assert level_of(code) == "county"
    assert parent_code(code) == f"{province}{city:02d}00"
    assert parent_code(parent_code(code)) == f"{province}0000"
    assert parent_code(f"{province}0000") is None


def test_points_inside_china_pass_and_swapped_pairs_are_named():
    check_point(120.18, 30.87)
    check_point(None, None)
    with pytest.raises(InputError) as caught:
        check_point(30.87, 120.18)
    assert "经纬度可能写反了" in caught.value.zh
    with pytest.raises(InputError, match="both longitude and latitude"):
        check_point(120.18, None)


@given(
    st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True)
)
def test_check_point_accepts_exactly_the_extent(lon, lat):
    (lon_min, lon_max), (lat_min, lat_max) = extent()
    inside = (
        math.isfinite(lon)
        and math.isfinite(lat)
        and lon_min <= lon <= lon_max
        and lat_min <= lat <= lat_max
    )
    if inside:
        check_point(lon, lat)
    else:
        with pytest.raises(InputError):
            check_point(lon, lat)


@pytest.mark.parametrize(
    ("name", "unit", "kind", "additive"),
    [
        ("新增造林面积", "公顷", "area", True),
        ("自然保护地面积", "平方公里", "area", True),
        ("重点项目总投资", "亿元", "amount", True),
        ("省级以上生态文明示范村数量", "个", "count", True),
        ("化学需氧量排放量", "万吨", "mass", True),
        ("森林覆盖率", "%", "ratio", False),
        ("细颗粒物（PM2.5）年均浓度", "μg/m3", "concentration", False),
        ("单位地区生产总值能耗", "吨标准煤/万元", "intensity", False),
        ("人均公园绿地面积", "平方米/人", "intensity", False),
        ("人均地区生产总值", "万元", "intensity", False),  # the name word wins over the unit
        ("空气质量优良天数", "天", "days", False),
    ],
)
def test_kinds_from_unit_and_name(name, unit, kind, additive):
    found = classify(name, unit)
    assert found.kind is not None
    assert (found.kind.key, found.kind.additive) == (kind, additive)


def test_literal_sum_of_three_districts():
    total = district_total("新增造林面积", "公顷", {"甲区": 120.5, "乙区": 80.25, "丙区": 10.0})
    assert (total.status, total.value, total.parts, total.kind) == ("summed", 210.75, 3, "area")
    assert total.method_zh == "面积（总量）：全市值 = 各区县数值之和（3 个区县）"
    assert "总量指标按地区可相加" in total.source


def test_decimal_sum_has_no_float_drift():
    total = district_total("重点项目总投资", "万元", {"a": 0.1, "b": 0.2})
    assert total.value == 0.3


def test_non_additive_is_refused_with_its_reason():
    total = district_total("森林覆盖率", "%", {"甲区": 60.0, "乙区": 70.0})
    assert total.status == "refused" and total.value is None
    assert total.method_zh.startswith("比例或比率（相对指标）：比例或比率不能相加")


def test_partial_sums_are_never_given():
    total = district_total("新增造林面积", "公顷", {"甲区": 1.0, "乙区": None, "丙区": None})
    assert (total.status, total.value, total.missing) == ("incomplete", None, ["丙区", "乙区"])


@pytest.mark.parametrize("unit", [None, "", "-", "—", "/"])
def test_qualitative_rows_are_refused(unit):
    total = district_total("河长制", unit, {"甲区": None})
    assert total.status == "refused" and "定性指标" in total.method_zh


def test_unknown_unit_is_refused_not_guessed():
    total = district_total("某指标", "头", {"甲区": 1.0})
    assert total.status == "refused" and "不在可加性表中" in total.method_zh


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 10**6), min_size=1))
def test_sum_of_integers_is_exact(values):
    total = district_total("新增造林面积", "公顷", {k: float(v) for k, v in values.items()})
    assert total.status == "summed" and total.value == sum(values.values())


def test_every_unit_belongs_to_one_kind_and_kinds_have_reasons():
    table = rules()
    for kind in table.kinds.values():
        if not kind.additive:
            assert kind.reason_zh and kind.reason_en, kind.key
    assert table.source
