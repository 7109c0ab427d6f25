"""Readiness (创建): a region judged against a chosen standard, ranked into a gap list; plan
target badges; the assessment cache per data revision (SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.assess.context import Context
from ecociv.assess.standard_check import choose_threshold, judge_standard
from ecociv.model import Verdict, VerdictStatus
from ecociv.standards import catalog
from ecociv.store.errors import Forbidden
from ecociv.store.services import assessment_cache, observations, plans, readiness, users
from ecociv.store.services.readiness import BADGE_OF_CATEGORY, badge_of, decimals, split_missing


def _plan_with_values(tree: Session) -> int:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    pm25, share, forest, _energy = (row.code for row in version.indicators)
    for year, value in ((2021, 30.0), (2022, 29.2), (2023, 28.5)):
        observations.save_observation(
            tree, ADMIN, region_code="990101", indicator_code=pm25, year=year, value=value
        )
    for year, value in ((2021, 87.0), (2023, 86.0)):
        observations.save_observation(
            tree, ADMIN, region_code="990101", indicator_code=share, year=year, value=value
        )
    observations.save_observation(
        tree, ADMIN, region_code="990101", indicator_code=forest, year=2023, text="38.5"
    )
    tree.commit()
    return version.plan_id


def test_the_gap_list_against_the_2021_standard(tree: Session) -> None:
    plan_id = _plan_with_values(tree)
    result = readiness.readiness(tree, plan_id, standard="nat2021")
    rows = {row.name: row for row in result.rows}
    forest = rows["林草覆盖率"]  # 丘陵 county: ≥40 (nat2021), 38.5 entered
    assert (forest.status, forest.requirement, forest.threshold) == ("not_met", "≥40", 40.0)
    assert (forest.value_text, forest.year, forest.margin, forest.margin_pct) == (
        "38.5",
        2023,
        -1.5,
        -3.8,
    )
    assert forest.relative_gap == pytest.approx(1.5 / 40)
    assert result.rows[0].status == "not_met"
    assert sum(result.counts.values()) == len(result.rows)
    assert result.standard.id == "nat2021" and result.region_code == "990101"


def test_the_as_of_year_and_another_standard(tree: Session) -> None:
    plan_id = _plan_with_values(tree)
    earlier = readiness.readiness(tree, plan_id, standard="nat2021", as_of=2022)
    forest = next(r for r in earlier.rows if r.name == "林草覆盖率")
    assert (forest.status, forest.source, forest.year) == ("no_data", "plan", None)
    assert forest.reason_zh == "已纳入规划，尚未录入所选年份及以前的数据"
    other = readiness.readiness(tree, plan_id, standard="nat2019")
    assert other.standard.id == "nat2019"
    assert {r.standard_code.split(".")[0] for r in other.rows} == {"nat2019"}


def test_the_region_default_standard_is_an_admin_choice(tree: Session) -> None:
    plan_id = _plan_with_values(tree)
    viewer = users.create_user(tree, ADMIN, name="v", password="p" * 12, role="viewer")
    with pytest.raises(Forbidden):
        readiness.set_default_standard(tree, viewer, "990101", "zj2019")
    with pytest.raises(catalog.UnknownStandardError):
        readiness.set_default_standard(tree, ADMIN, "990101", "xx2099")
    readiness.set_default_standard(tree, ADMIN, "990101", "zj2019")
    assert readiness.readiness(tree, plan_id).standard.id == "zj2019"


def test_the_cache_is_never_stale_after_a_write(tree: Session) -> None:
    plan_id = _plan_with_values(tree)
    calls = []

    def compute() -> readiness.Readiness:
        calls.append(1)
        return readiness.readiness(tree, plan_id, standard="nat2021")

    first = assessment_cache.cached(tree, ("t", plan_id), compute)
    assert assessment_cache.cached(tree, ("t", plan_id), compute) is first
    assert len(calls) == 1
    forest = next(r for r in first.rows if r.name == "林草覆盖率").plan_indicator
    assert forest is not None
    observations.save_observation(
        tree,
        ADMIN,
        region_code="990101",
        indicator_code=forest,
        year=2024,
        text="41",
    )
    tree.commit()
    after = assessment_cache.cached(tree, ("t", plan_id), compute)
    assert len(calls) == 2
    assert next(r for r in after.rows if r.name == "林草覆盖率").status == "met"


def test_target_badges_do_not_call_a_target_not_yet_due_failed(tree: Session) -> None:
    plan_id = _plan_with_values(tree)
    _, rows = readiness.plan_targets(tree, plan_id)
    by_name = {row.name: row for row in rows}
    pm25 = by_name["细颗粒物（PM2.5）年均浓度"]  # 30 → 29.2 → 28.5 against ≤28 in 2025
    assert (pm25.status, pm25.due, pm25.badge) == ("not_met", False, "on_track")
    share = by_name["空气质量优良天数比例"]  # 87 → 86 against ≥90: moving away
    assert (share.status, share.badge) == ("not_met", "deteriorating")
    assert rows[0].badge in ("deteriorating", "off_track", "at_risk", "due_not_met")


@pytest.mark.parametrize(
    ("text", "places"),
    [("72.5", 1), ("≥18", 0), ("0.772", 3), ("100", 0), (None, 0), ("≤28.00", 2), ("暂无", 0)],
)
def test_decimals_as_written(text: str | None, places: int) -> None:
    assert decimals(text) == places


def test_missing_items_split_by_language() -> None:
    assert split_missing(["上级下达的目标 / the quota assigned from above", "数值"]) == (
        ["上级下达的目标", "数值"],
        ["the quota assigned from above", "数值"],
    )


STATUSES = st.sampled_from(list(VerdictStatus))


@given(status=STATUSES, category=st.sampled_from(sorted(BADGE_OF_CATEGORY)), due=st.booleans())
def test_badges_follow_the_verdict_and_the_projection(status, category, due) -> None:
    verdict = Verdict(status=status, reason_zh="理由", reason_en="reason")

    class Projection:
        pass

    projection = Projection()
    projection.category = category  # type: ignore[attr-defined]
    badge = badge_of(verdict, projection, due)
    if status is VerdictStatus.MET:
        assert badge == "met"
    elif status is VerdictStatus.NOT_MET and due:
        assert badge == "due_not_met"
    elif status in (VerdictStatus.NOT_MET, VerdictStatus.NO_DATA):
        assert badge == BADGE_OF_CATEGORY[category]
    else:
        assert badge == status.value
    if not due:
        assert badge != "due_not_met"


def _contexts(version: str):
    """Every combination of the version's class dimensions, each one also left out."""
    dimensions = catalog.get_standard(version).version.dimensions
    names = sorted(dimensions)
    for values in itertools.product(*[(None, *dimensions[n]) for n in names]):
        classes = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        for coastal in (None, True, False):
            yield Context(classes=classes, coastal=coastal)


@pytest.mark.parametrize("version", sorted(catalog.versions()))
def test_standard_reasons_are_in_one_language(version: str) -> None:
    """No reason mixes English data notes into Chinese text (e.g. "（not in any seed or source）")
    and no class dimension's data key (``city_size``) reaches a reader."""
    leaves = [i for i in catalog.get_standard(version).walk() if not i.items]
    seen = 0
    for context, item in itertools.product(list(_contexts(version))[::7], leaves):
        chosen = choose_threshold(item.code, context)
        verdicts = [judge_standard(item.code, None, context)]
        if isinstance(chosen, Verdict):
            verdicts.append(chosen)
        for verdict in verdicts:
            seen += 1
            text = verdict.reason_zh + "".join(verdict.missing).split(" / ")[0]
            assert not re.search(r"[a-z]{4,}", verdict.reason_zh), verdict.reason_zh
            assert "not in any" not in text and "_" not in verdict.reason_zh
            if verdict.clause is None:  # the engine's reasons quote the requirement as written
                assert not re.search(r"[\u4e00-\u9fff]", verdict.reason_en), verdict.reason_en
    assert seen > len(leaves)


def test_a_target_is_parsed_once_when_written(tree: Session) -> None:
    """The parse is stored with the target (import and edit) and used when judging; a parse
    stamped by another parser is not trusted."""
    from ecociv.expr import parse
    from ecociv.expr.codec import from_json, parser_stamp, to_json
    from ecociv.store.services import assessment, indicators

    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    pm25 = version.indicators[0]
    target = pm25.targets[0]
    assert target.parsed is not None and target.parsed["stamp"] == parser_stamp()
    assert from_json(target.parsed["expr"]) == parse("≤28").expr
    edited = indicators.set_target(
        tree, ADMIN, pm25.id, year=2025, text="≤27", expected_version=target.version
    )
    assert from_json(edited.parsed["expr"]) == parse("≤27").expr
    # A tree from another parser (another stamp) is ignored: the text is parsed again.
    edited.parsed = {"stamp": "another-parser", "expr": to_json(parse("≥99").expr)}
    observations.save_observation(
        tree, ADMIN, region_code="990101", indicator_code=pm25.code, year=2023, value=27.5
    )
    tree.commit()
    assessment._requirement.cache_clear()
    assessment._STORED.clear()
    row = assessment.assess_plan(tree, version.plan_id).indicators[0]
    # 27.5 against the text ≤27 (not against the foreign tree's ≥99, which would miss by 71.5)
    assert row.verdict.status.value == "not_met"
    assert row.verdict.margin == pytest.approx(-0.5)
