"""The engine's shortcuts give what the plain ways give: verdicts built without validation equal
validated ones, and contexts derived for another year or without a quota see their own points."""

from __future__ import annotations

from dataclasses import replace

from ecociv.assess.context import Context
from ecociv.assess.statuses import MET, NEEDS_REVIEW, combine_all, make
from ecociv.assess.values import series_points
from ecociv.assess.verdict import evaluate
from ecociv.expr.parse import parse
from ecociv.model import Verdict, VerdictStatus

SERIES = {2022: 31.0, 2020: 35.0, 2021: 33.5, 2023: 30.0}


def test_a_built_verdict_equals_the_validated_one() -> None:
    built = make(MET, "31≤35，达到要求", "31 <= 35: met", 4.0000000001, "μg/m³", "≤35", {"v": 31})
    validated = Verdict(
        status="met",
        reason_zh="31≤35，达到要求",
        reason_en="31 <= 35: met",
        margin=4.0,
        unit="μg/m³",
        clause="≤35",
        inputs={"v": 31},
    )
    assert built == validated
    assert built.model_dump() == validated.model_dump()
    assert Verdict.model_validate(built.model_dump()) == built


def test_built_verdicts_do_not_share_their_lists() -> None:
    first = make(NEEDS_REVIEW, "缺少", "missing")
    second = make(NEEDS_REVIEW, "缺少", "missing")
    first.missing.append("上级下达的目标 / quota")
    assert second.missing == [] and second.items == []
    assert combine_all([first, second], "且", ["a", "b"]).status is VerdictStatus.NEEDS_REVIEW


def test_a_context_for_another_year_sees_the_points_up_to_that_year() -> None:
    context = Context(series=SERIES)
    assert context.at_year(2021).points_to_year() == ((2020, 35.0), (2021, 33.5))
    assert context.at_year(2023).points_to_year() == tuple(sorted(SERIES.items()))
    assert context.points_to_year() == tuple(sorted(SERIES.items()))  # no year: all points
    later = context.at_year(2022)
    assert later.points_to_year() == replace(context, year=2022).points_to_year()


def test_a_context_without_quota_keeps_its_points() -> None:
    context = Context(series=SERIES, year=2022, quota=30.0)
    assert context.points_to_year() == ((2020, 35.0), (2021, 33.5), (2022, 31.0))
    assert context.without_quota().points_to_year() == context.points_to_year()
    assert context.without_quota().quota is None


def test_a_value_other_than_the_series_replaces_its_year() -> None:
    context = Context(series=SERIES, year=2022)
    assert series_points(31.0, context) == ((2020, 35.0), (2021, 33.5), (2022, 31.0))
    assert series_points(36.0, context) == ((2020, 35.0), (2021, 33.5), (2022, 36.0))


def test_a_numeric_quota_is_judged_by_direction_for_every_region() -> None:
    requirement = parse("完成上级规定的考核任务").expr
    base = Context(year=2023).with_direction_of("PM2.5浓度")
    for quota, value, status in ((30.0, 29.5, "met"), (28.0, 29.5, "not_met"), (29.5, 29.5, "met")):
        verdict = evaluate(requirement, value, replace(base, quota=quota))
        assert verdict.status.value == status
        assert verdict.inputs["threshold"] == quota and verdict.clause is not None
