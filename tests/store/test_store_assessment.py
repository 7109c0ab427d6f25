"""The dashboard's data: verdicts per indicator, standard verdicts, projections, counts by domain."""

from __future__ import annotations

from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.model import VerdictStatus
from ecociv.store.services import assessment, observations, plans


def test_verdicts_projection_and_counts(tree: Session) -> None:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    pm25, share, forest, energy = (row.code for row in version.indicators)
    enter = {"region_code": "990101"}
    for year, value in ((2021, 30.0), (2022, 29.2), (2023, 28.5)):
        observations.save_observation(
            tree, ADMIN, indicator_code=pm25, year=year, value=value, **enter
        )
    observations.save_observation(tree, ADMIN, indicator_code=share, year=2023, value=86.0, **enter)
    observations.save_observation(
        tree, ADMIN, indicator_code=forest, year=2023, text="暂无数据", **enter
    )
    tree.commit()

    result = assessment.assess_plan(tree, version.plan_id)
    rows = {row.code: row for row in result.indicators}
    assert rows[pm25].year == 2023 and rows[pm25].target_year == 2025
    assert rows[pm25].verdict.status is VerdictStatus.NOT_MET  # 28.5 > 28
    assert rows[pm25].verdict.margin is not None and rows[pm25].verdict.margin < 0
    assert rows[pm25].projection is not None and rows[pm25].projection.target_value == 28.0
    assert (
        rows[pm25].projection.anticipated_value is not None
        and rows[pm25].projection.anticipated_value < 28.0
    )
    assert rows[share].verdict.status is VerdictStatus.NOT_MET  # 86 < 90
    assert rows[forest].verdict.status is VerdictStatus.NO_DATA
    assert rows[energy].verdict.status is VerdictStatus.NO_DATA
    assert (
        rows[forest].standard_code == forest
    )  # linked to nat2021, judged against it once a value exists
    assert result.counts_by_domain == {
        "生态环境": {"not_met": 2},
        "生态空间": {"no_data": 1},
        "生态经济": {"no_data": 1},
    }
    assert sum(result.totals.values()) == 4

    earlier = assessment.assess_plan(tree, version.plan_id, as_of=2021)
    assert {row.code: row.year for row in earlier.indicators}[pm25] == 2021


def test_a_value_meeting_the_target_is_met_and_standard_is_judged(tree: Session) -> None:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    forest = version.indicators[2].code
    observations.save_observation(
        tree, ADMIN, region_code="990101", indicator_code=forest, year=2023, value=63.0
    )
    row = {r.code: r for r in assessment.assess_plan(tree, version.plan_id).indicators}[forest]
    assert row.verdict.status is VerdictStatus.MET and row.verdict.margin == 1.0
    assert row.standard_verdict is not None
    assert row.standard_verdict.status is VerdictStatus.MET
    assert row.standard_verdict.inputs["standard"] == forest
    assert row.standard_verdict.inputs["threshold"] < 63.0


def test_rows_carry_baseline_numeric_targets_and_standard_threshold(tree: Session) -> None:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    pm25, _share, forest, energy = (row.code for row in version.indicators)
    rows = {r.code: r for r in assessment.assess_plan(tree, version.plan_id).indicators}
    assert (rows[pm25].baseline_year, rows[pm25].baseline_value) == (2020, 31.0)
    assert rows[pm25].target_values == {2025: 28.0}
    assert rows[energy].target_values == {}  # 完成上级下达任务: no number to draw
    assert rows[energy].baseline_value == 0.41
    # no value yet, still the standard's threshold for the region's class is known
    assert rows[forest].standard_verdict is None
    assert rows[forest].standard_threshold is not None
    assert rows[pm25].standard_threshold is None  # not linked to a standard indicator


def test_standard_threshold_is_the_one_the_verdict_used(tree: Session) -> None:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    forest = version.indicators[2].code
    observations.save_observation(
        tree, ADMIN, region_code="990101", indicator_code=forest, year=2023, value=63.0
    )
    row = assessment.assess_plan_indicator(tree, version.plan_id, forest)
    assert row is not None and row.standard_verdict is not None
    assert row.standard_threshold == row.standard_verdict.inputs["threshold"]


def test_one_indicator_is_judged_as_in_the_whole_plan(tree: Session) -> None:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    pm25 = version.indicators[0].code
    for year, value in ((2021, 30.0), (2022, 29.2), (2023, 28.5)):
        observations.save_observation(
            tree, ADMIN, region_code="990101", indicator_code=pm25, year=year, value=value
        )
    whole = assessment.assess_plan(tree, version.plan_id, region_code="990101", as_of=2022)
    one = assessment.assess_plan_indicator(
        tree, version.plan_id, pm25, region_code="990101", as_of=2022
    )
    assert one == next(r for r in whole.indicators if r.code == pm25)
    assert one is not None and one.year == 2022
