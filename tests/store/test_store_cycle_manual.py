"""Manual inputs for 需人工判定: the quota handed down from above and a reasoned judgement, both
feeding the verdict with their source shown (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from cycle_builders import DISTRICT, Cycle, build_cycle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv.cycle import manual
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.services import observations
from ecociv.store.services.assessment import assess_plan_indicator

ENERGY = "单位地区生产总值能耗"  # its 2025 target: 完成上级下达任务


@pytest.fixture
def cycle(tree: Session) -> Cycle:
    built = build_cycle(tree, open_period=False)
    observations.save_observation(
        tree, ADMIN, region_code=DISTRICT, indicator_code=built.code(ENERGY), year=2023, text="0.39"
    )
    tree.commit()
    return built


def _verdict(cycle: Cycle):
    row = assess_plan_indicator(cycle.session, cycle.plan_id, cycle.code(ENERGY))
    assert row is not None
    return row.verdict


def _quota(cycle: Cycle, actor, text: str, version: int | None = None):
    return manual.set_quota(
        cycle.session,
        actor,
        region_code=DISTRICT,
        indicator_code=cycle.code(ENERGY),
        year=2023,
        text=text,
        source="市发改委〔2023〕12号",
        expected_version=version,
    )


def test_the_quota_decides_and_is_named(cycle: Cycle) -> None:
    assert _verdict(cycle).status.value == "needs_review"
    _quota(cycle, cycle.user("approver"), "≤0.40")
    cycle.session.commit()
    verdict = _verdict(cycle)
    assert verdict.status.value == "met"
    assert verdict.reason_zh.startswith("上级下达目标：")
    assert (verdict.inputs["quota"], verdict.inputs["quota_source"]) == (
        "≤0.40",
        "市发改委〔2023〕12号",
    )
    _quota(cycle, ADMIN, "≤0.38", version=1)
    cycle.session.commit()
    assert _verdict(cycle).status.value == "not_met"
    with pytest.raises(Conflict, match="now version 2"):
        _quota(cycle, ADMIN, "≤0.5", version=1)


def test_a_judgement_answers_needs_review_only(cycle: Cycle) -> None:
    manual.set_judgement(
        cycle.session,
        cycle.user("approver"),
        region_code=DISTRICT,
        indicator_code=cycle.code(ENERGY),
        year=2023,
        status="met",
        reason="省考核结果为“完成”（考核通报第3号）",
    )
    cycle.session.commit()
    verdict = _verdict(cycle)
    assert verdict.status.value == "met"
    assert verdict.reason_zh == "人工判定（approver）：省考核结果为“完成”（考核通报第3号）"
    assert verdict.inputs["source"] == "manual_judgement"
    _quota(cycle, ADMIN, "≤0.30")  # a quota decides; the judgement no longer applies
    cycle.session.commit()
    assert _verdict(cycle).status.value == "not_met"


def test_manual_inputs_are_checked_and_authorised(cycle: Cycle) -> None:
    with pytest.raises(ValidationError, match="cannot be read"):
        _quota(cycle, ADMIN, "按照省里的要求")
    with pytest.raises(ValidationError, match="the source document is required"):
        manual.set_quota(
            cycle.session,
            ADMIN,
            region_code=DISTRICT,
            indicator_code=cycle.code(ENERGY),
            year=2023,
            text="≤0.4",
            source="  ",
        )
    with pytest.raises(ValidationError, match="must be one of"):
        manual.set_judgement(
            cycle.session,
            ADMIN,
            region_code=DISTRICT,
            indicator_code=cycle.code(ENERGY),
            year=2023,
            status="needs_review",
            reason="x",
        )
    for outsider in ("reviewer", "viewer", "approver_b", "editor_b"):
        with pytest.raises(Forbidden):
            _quota(cycle, cycle.user(outsider), "≤0.4")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quota=st.decimals(min_value="0.10", max_value="0.90", places=2),
    value=st.decimals(min_value="0.10", max_value="0.90", places=2),
)
def test_the_quota_verdict_follows_the_numbers(cycle: Cycle, quota, value) -> None:
    """Generated quotas and values of a lower-is-better indicator, stored and assessed: met
    exactly when the value is within the quota."""
    session, code = cycle.session, cycle.code(ENERGY)
    region = manual.get_region(session, DISTRICT)
    stored = manual.quotas_for(session, region, [code]).get((code, 2023))
    _quota(cycle, ADMIN, f"≤{quota}", version=stored.version if stored else None)
    current = observations.get_observation(session, DISTRICT, code, 2023)
    observations.save_observation(
        session,
        ADMIN,
        region_code=DISTRICT,
        indicator_code=code,
        year=2023,
        text=str(value),
        expected_version=current.version,
    )
    session.commit()
    assert _verdict(cycle).status.value == ("met" if value <= quota else "not_met")
