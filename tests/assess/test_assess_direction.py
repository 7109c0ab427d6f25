"""Direction knowledge: which side of an indicator is better (data/direction.yaml)."""

from __future__ import annotations

import pytest

from ecociv.assess.direction import infer_direction


@pytest.mark.parametrize(
    ("name", "better"),
    [
        ("PM2.5浓度", "lower"),
        ("单位地区生产总值能耗", "lower"),
        ("碳排放强度", "lower"),
        ("单位GDP用水量", "lower"),
        ("化学需氧量排放量", "lower"),
        ("突发环境事件发生数", "lower"),
        ("劣Ⅴ类水体比例", "lower"),
        ("劣V类水体比例", "lower"),
        ("PM2.5浓度下降幅度", "higher"),
        ("单位国内生产总值建设用地使用面积下降率", "higher"),
        ("劣Ⅴ类水体比例下降幅度", "higher"),
        ("主要污染物排放总量减少（%）", "higher"),
        ("单位地区生产总值能耗降低（%）", "higher"),
        ("VOCs削减比例", "higher"),
        ("森林覆盖率", "higher"),
        ("城镇污水处理率", "higher"),
        ("公众对生态文明建设的满意度", "higher"),
    ],
)
def test_direction(name: str, better: str) -> None:
    assert infer_direction(name).better == better


def test_shares_are_bounded_and_unknown_names_say_so() -> None:
    assert infer_direction("集中式饮用水水源地水质优良比例").share
    assert not infer_direction("PM2.5浓度").share
    unknown = infer_direction("某某指标")
    assert unknown.better is None and not unknown.known
