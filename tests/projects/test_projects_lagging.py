"""Lagging-project warnings: literal cases, and generated ones against the rule's meaning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecociv.projects.lagging import Milestone, Status, lags, planned_progress
from ecociv.projects.periods import elapsed_share, period_end
from ecociv.projects.vocab import LaggingRule, lagging_rule

RULE = LaggingRule(progress_gap_points=10, investment_ratio=0.8, milestone_grace_days=0, source="t")


@pytest.mark.parametrize(
    ("label", "frequency", "end"),
    [
        ("2024-02", "monthly", date(2024, 2, 29)),
        ("2023-02", "monthly", date(2023, 2, 28)),
        ("2024-12", "monthly", date(2024, 12, 31)),
        ("2024-Q1", "quarterly", date(2024, 3, 31)),
        ("2024-Q3", "quarterly", date(2024, 9, 30)),
    ],
)
def test_period_end(label: str, frequency: str, end: date) -> None:
    assert period_end(label, frequency) == end


def test_straight_line_plan() -> None:
    assert elapsed_share(2022, 2023, date(2021, 12, 31)) == 0
    assert elapsed_share(2022, 2023, date(2023, 12, 31)) == 1
    assert elapsed_share(2022, 2023, date(2022, 12, 31)) == pytest.approx(365 / 730)


def test_behind_in_progress_investment_and_a_milestone() -> None:
    status = Status(
        as_of=date(2022, 12, 31),
        first_year=2022,
        last_year=2023,
        investment_wan_yuan=10000,
        progress_percent=30,
        invested_to_date_wan_yuan=3000,
        milestones=(
            Milestone("开工", date(2022, 3, 1), date(2022, 3, 5)),
            Milestone("主体完工", date(2022, 11, 30)),
        ),
    )
    found = lags(status, RULE)
    assert [lag.kind for lag in found] == ["progress", "investment", "milestone"]
    assert found[0].values == {"actual": 30, "planned": 50.0}
    assert found[0].zh == "形象进度 30%，计划 50%，落后 20.0 个百分点"
    assert found[1].values == {"invested": 3000, "planned": 5000.0}
    assert found[2].values == {"milestone": "主体完工", "planned": "2022-11-30"}
    assert "31 天" in found[2].zh


def test_on_schedule_and_stated_plan_wins() -> None:
    status = Status(
        as_of=date(2022, 12, 31),
        first_year=2022,
        last_year=2023,
        investment_wan_yuan=10000,
        progress_percent=30,
        planned_progress_percent=35,
        invested_to_date_wan_yuan=2900,
    )
    assert planned_progress(status) == 35
    assert lags(status, RULE) == []


def test_the_packaged_rule_names_its_source() -> None:
    rule = lagging_rule()
    assert rule.progress_gap_points > 0 and 0 < rule.investment_ratio <= 1 and rule.source


@given(
    planned=st.floats(0, 100),
    actual=st.floats(0, 100),
    gap=st.floats(1, 50),
)
def test_progress_lags_exactly_when_the_gap_reaches_the_threshold(planned, actual, gap) -> None:
    rule = LaggingRule(gap, 0.8, 0, "t")
    status = Status(
        as_of=date(2022, 6, 30),
        first_year=2022,
        last_year=2022,
        investment_wan_yuan=None,
        progress_percent=actual,
        planned_progress_percent=planned,
    )
    assert any(lag.kind == "progress" for lag in lags(status, rule)) == (planned - actual >= gap)


@given(
    total=st.floats(1, 1e6),
    share=st.floats(0, 1.5),
    planned=st.floats(1, 100),
    ratio=st.floats(0.1, 1),
)
def test_investment_lags_below_the_ratio_of_what_is_due(total, share, planned, ratio) -> None:
    due = total * planned / 100
    status = Status(
        as_of=date(2022, 6, 30),
        first_year=2022,
        last_year=2022,
        investment_wan_yuan=total,
        planned_progress_percent=planned,
        invested_to_date_wan_yuan=due * share,
    )
    lagging = any(lag.kind == "investment" for lag in lags(status, LaggingRule(100, ratio, 0, "t")))
    assert lagging == (due * share < ratio * due)


@given(days=st.integers(-400, 400), grace=st.integers(0, 30), reached=st.booleans())
def test_a_milestone_is_overdue_only_unreached_and_past_its_grace(days, grace, reached) -> None:
    as_of = date(2023, 6, 30)
    planned = as_of - timedelta(days=days)
    milestone = Milestone("节点", planned, planned if reached else None)
    status = Status(as_of, 2022, 2024, None, milestones=(milestone,))
    overdue = [
        lag for lag in lags(status, LaggingRule(100, 0, grace, "t")) if lag.kind == "milestone"
    ]
    assert bool(overdue) == (not reached and days > grace)


def test_a_label_tells_its_frequency() -> None:
    from ecociv.projects.periods import PeriodError, parse_period

    assert parse_period("2025-Q4") == ("quarterly", date(2025, 12, 31))
    assert parse_period("2025-11") == ("monthly", date(2025, 11, 30))
    with pytest.raises(PeriodError, match="2025-13"):
        parse_period("2025-13")
