"""The verdict engine with literal AST in and literal verdicts out (no parser involved)."""

from __future__ import annotations

from decimal import Decimal as D

from ecociv.assess.context import Context
from ecociv.assess.standard_check import judge_standard
from ecociv.assess.verdict import compile_requirement, evaluate
from ecociv.expr import ast
from ecociv.model import VerdictStatus as S

FOREST = Context().with_direction_of("森林覆盖率")


def test_verdict_carries_reason_margin_clause_inputs() -> None:
    v = evaluate(ast.Comparison(">=", D("20.5")), ast.Number(D("26.5"), "%"), FOREST)
    assert v.status is S.MET
    assert v.margin == 6.0
    assert v.clause == "≥20.5"
    assert v.inputs == {"value": 26.5, "threshold": 20.5, "op": ">="}
    assert "26.5" in v.reason_zh and "26.5" in v.reason_en


def test_requirement_compiles_once() -> None:
    requirement = ast.Comparison(">=", D("90"))
    assert compile_requirement(requirement) is compile_requirement(ast.Comparison(">=", D("90")))


def test_plain_float_values() -> None:
    assert evaluate(ast.Number(D("35")), 30.0, Context(better="lower")).status is S.MET


def test_items_aggregate_weakest_when_none_fails() -> None:
    requirement = ast.Items(
        (("①", ast.Comparison(">=", D("90"))), ("②", ast.Comparison(">=", D("75"))))
    )
    value = ast.Items((("①", ast.Number(D("95"))), ("②", ast.Text("??", "unreadable"))))
    v = evaluate(requirement, value, Context(better="higher"))
    assert v.status is S.NEEDS_REVIEW
    assert [i.status for i in v.items] == [S.MET, S.NEEDS_REVIEW]
    assert v.missing == ["可解析的现状值 / a readable value"]


def test_items_any_not_met_is_not_met() -> None:
    requirement = ast.Items(
        (("①", ast.Comparison(">=", D("90"))), ("②", ast.Comparison(">=", D("75"))))
    )
    value = ast.Items((("①", ast.Number(D("85"))), ("②", ast.NoData("暂无数据"))))
    v = evaluate(requirement, value, Context(better="higher"))
    assert v.status is S.NOT_MET
    assert "①" in v.reason_zh


def test_not_applicable_requirement() -> None:
    assert (
        evaluate(ast.NotApplicable("/"), ast.Number(D("1")), Context()).status is S.NOT_APPLICABLE
    )


def test_unreadable_requirement_names_what_is_missing() -> None:
    v = evaluate(ast.Text("？？", "unknown words"), ast.Number(D("1")), Context())
    assert v.status is S.NEEDS_REVIEW and v.missing == ["可解析的要求 / a readable requirement"]


def test_missing_value_is_no_data() -> None:
    assert evaluate(ast.Comparison(">=", D("1")), None, Context()).status is S.NO_DATA


def test_series_value_against_trend() -> None:
    value = ast.Series(
        ((2019, ast.Number(D("10"))), (2020, ast.Number(D("11"))), (2021, ast.Number(D("11"))))
    )
    each_year = ast.Trend("逐年上升", "up", "each_year")
    overall = ast.Trend("持续提高", "up", "overall")
    assert evaluate(each_year, value, Context(better="higher")).status is S.NOT_MET
    assert evaluate(overall, value, Context(better="higher")).status is S.MET


def test_standard_threshold_by_class_and_level() -> None:
    plains = Context(classes={"terrain": "平原地区", "level": "县"})
    assert judge_standard("nat2019.eco.forest_grass_cover", 26.08, plains).status is S.MET
    mountains = Context(classes={"terrain": "山区", "level": "县"})
    v = judge_standard("nat2019.eco.forest_grass_cover", 26.08, mountains)
    assert v.status is S.NEEDS_REVIEW and v.missing == [
        "山区的指标值 / the threshold for the region's class"
    ]


def test_standard_other_regions_fallback_and_not_applicable_level() -> None:
    plains = Context(classes={"terrain": "平原地区", "level": "县"})
    assert judge_standard("nat2019.eco.ei", 66.21, plains).status is S.MET
    assert (
        judge_standard("nat2019.economy.carbon_intensity", 1.0, plains).status is S.NOT_APPLICABLE
    )
    coastal = judge_standard("nat2019.space.natural_shoreline_retention", 90.0, plains)
    assert coastal.status is S.NEEDS_REVIEW and "沿海" in coastal.missing[0]


def test_trend_uses_only_years_up_to_the_judged_year() -> None:
    rising_then_falling = {2018: 60.0, 2019: 62.0, 2020: 64.0, 2021: 50.0}
    context = Context(better="higher", series=rising_then_falling)
    trend = ast.Trend("持续提高", "up", "overall")
    assert evaluate(trend, 64.0, context.at_year(2020)).status is S.MET
    assert evaluate(trend, 50.0, context.at_year(2021)).status is S.NOT_MET
