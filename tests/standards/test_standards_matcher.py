"""The name matcher: variants of a plan's indicator names map to standard indicators."""

from __future__ import annotations

import pytest

from ecociv.standards.matcher import fold, match


@pytest.mark.parametrize(
    ("name", "version", "code"),
    [
        ("森林覆盖率", "nat2021", "nat2021.eco.forest_grass_cover"),
        ("林草覆盖率（平原地区）", "nat2019", "nat2019.eco.forest_grass_cover"),
        ("森林覆盖率（平原地区）", "zj2019", "zj2019.eco.forest_cover"),
        ("*生态环境状况指数（EI）", "nat2019", "nat2019.eco.ei"),
        ("城镇污水处理率（%）", "nat2021", "nat2021.living.urban_sewage_treatment"),
        ("城市污水处理率(%)", "nat2021", "nat2021.living.urban_sewage_treatment"),
        ("①优良天数比例", "nat2019", "nat2019.air.good_days_ratio"),
        ("ＰＭ２.５浓度下降幅度", "nat2021", "nat2021.air.pm25_decline"),
        ("农村生活污水治理率**", "nat2021", "nat2021.living.rural_sewage_treatment"),
        (
            "应当实施强制性清洁生产企业通过\n审核的比例",
            "nat2019",
            "nat2019.economy.cleaner_production_audit",
        ),
        ("人均公共绿地面积（㎡）", "nat2019", "nat2019.living.park_green_per_capita"),
    ],
)
def test_variants_match(name: str, version: str, code: str) -> None:
    found = match(name, version)
    assert found.indicator is not None and found.indicator.code == code
    assert found.confidence >= 0.9, found.reason


def test_a_change_of_a_quantity_is_not_the_quantity() -> None:
    found = match("单位地区生产总值能耗降低（%）", "nat2021")
    assert found.confidence < 0.6
    assert "change word" in found.reason


def test_unrelated_names_do_not_match() -> None:
    found = match("长江干流水质（类）", "nat2021")
    assert found.indicator is None
    assert found.confidence < 0.5


def test_fold_removes_markers_and_full_width() -> None:
    assert fold(" *ＰＭ２.５ 浓度** ") == "PM2.5浓度"
