"""explain(): the sentence a clerk reads, in Chinese and English (literal in, literal out)."""

from __future__ import annotations

import pytest

from ecociv.expr import explain, parse, parse_value

CASES = [
    ("≥90", False, "不低于90", "at least 90"),
    (
        "市≥95 县≥85",
        False,
        "市：不低于95；县：不低于85",
        "for cities: at least 95; for counties (districts): at least 85",
    ),
    (
        "逐年上升",
        False,
        "逐年上升（每年都比上一年上升）",
        "rising every year against the year before",
    ),
    (
        "不降低",
        False,
        "不降低（期末比期初不下降，持平也算）",
        "not falling from start to end; equal counts",
    ),
    ("【16.5】", False, "5年累计16.5", "16.5 cumulated over 5 years"),
    ("高于全省平均值", False, "数值高于全省平均值", "the value above the provincial average"),
    ("较2020年下降16%", False, "较2020年下降16%", "a fall of 16% against 2020"),
    (
        "面积不减少，性质不改变",
        False,
        "保护要求：面积不减少、性质不改变",
        "protection: area not reduced, nature not changed",
    ),
    ("暂无数据", False, "无数据（“暂无数据”）", "no data (“暂无数据”)"),
    ("-", False, "不适用（“-”）", "not applicable (“-”)"),
    (
        "79.5%，未完成上级规定的考核任务",
        True,
        "实际：数值为79.5%；自述结论：未完成上级下达的目标（“完成上级规定的考核任务”）",
        "actual: the value 79.5%; stated verdict: not achieved: the target assigned from above "
        "(“完成上级规定的考核任务”)",
    ),
]


@pytest.mark.parametrize(("text", "is_value", "zh", "en"), CASES, ids=[c[0] for c in CASES])
def test_expr_explain(text: str, is_value: bool, zh: str, en: str) -> None:
    expr = (parse_value if is_value else parse)(text).expr
    assert explain(expr) == zh
    assert explain(expr, "en") == en
