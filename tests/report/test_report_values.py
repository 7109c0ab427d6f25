"""Pure parts: printing numbers, the rates still needed, project stages, the registry."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ecociv.errors import ConfigError
from ecociv.report.build import check_registry
from ecociv.report.gather import ProjectInfo
from ecociv.report.model import show
from ecociv.report.registry import parse_registry, registry
from ecociv.report.rows import project_stage


@pytest.mark.parametrize(
    ("value", "printed"),
    [(38.400000000000006, "38.4"), (-0.0, "0"), (19.0, "19"), (0.385, "0.385"), (-13.5, "-13.5"),
     (146600.0, "146600"), (1e-7, "0"), (2025, "2025"), (None, "—"), ("", "—"), ("暂无数据", "暂无数据")],
)  # fmt: skip
def test_show(value, printed):
    assert show(value) == printed


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_show_is_a_plain_decimal_within_half_a_unit_of_the_fourth_place(value):
    printed = show(value)
    assert "e" not in printed and printed != "-0"
    assert abs(float(printed) - value) <= 0.5e-4 + 1e-9 * abs(value)


@pytest.mark.parametrize(
    ("start", "end", "year", "stage"),
    [(2021, 2023, 2024, "due"), (2021, 2023, 2023, "due"), (2023, 2026, 2024, "under_way"),
     (2025, 2025, 2024, "not_started"), (2022, None, 2022, "due"), (None, None, 2024, "unknown")],
)  # fmt: skip
def test_project_stage(start, end, year, stage):
    project = ProjectInfo(None, "p", None, None, start, end, None, ())
    assert project_stage(project, year) == stage


def _row(value: float, target: float, year: int, target_year: int):
    from ecociv.model import Verdict, VerdictStatus
    from ecociv.store.services.assessment import IndicatorAssessment

    return IndicatorAssessment(
        indicator_id=1, code="x", seq="1", name="n", domain=None, unit="%", attribute=None,
        standard_code=None, baseline_year=None, baseline_text=None,
        targets={target_year: f"≥{target}"},
        observed={year: {"value": value, "text": None}},
        year=year, target_year=target_year,
        verdict=Verdict(status=VerdictStatus.NOT_MET, reason_zh="", reason_en=""),
        target_values={target_year: target},
    )  # fmt: skip


@given(
    st.floats(min_value=0.01, max_value=1e4),
    st.floats(min_value=0.01, max_value=1e4),
    st.integers(min_value=2000, max_value=2040),
    st.integers(min_value=1, max_value=15),
)
def test_required_change_and_rate_reach_the_target(value, target, year, years):
    """Within a tenfold change (beyond it a rate printed to 0.01 % is too coarse, e.g. −99.99 %)."""
    from ecociv.report.rows import required_change, required_rate

    assume(0.1 <= target / value <= 10)

    row = _row(value, target, year, year + years)
    change, rate = required_change(row), required_rate(row)
    assert change is not None and rate is not None
    assert value + change * years == pytest.approx(target, abs=1e-3 * years + 1e-6 * target)
    # the rate is printed to 0.01 %: compounded over the years that moves the product by at
    # most years × 0.005 / (100 + rate), relative
    tolerance = 1.01 * years * 0.005 / (100 + rate) + 1e-9
    assert value * (1 + rate / 100) ** years == pytest.approx(target, rel=tolerance)


def test_no_rate_after_the_target_year_or_without_a_positive_value():
    from ecociv.report.rows import required_change, required_rate

    assert required_change(_row(80, 90, 2025, 2025)) is None
    assert required_rate(_row(0.0, 90, 2024, 2025)) is None
    assert required_change(_row(0.0, 90, 2024, 2025)) == 90


def test_every_table_facts_and_narrative_has_a_builder():
    check_registry(registry())


def test_widths_must_fill_the_type_area():
    text = """
tables:
  t: {zh: 表, en: t, columns: [{key: a, zh: 甲, en: a, width: 100}]}
narratives: {}
kinds: {}
labels: {}
"""
    with pytest.raises(ConfigError) as caught:
        parse_registry(text, source="kinds.yaml")
    assert "156" in caught.value.zh and "156" in caught.value.en


@pytest.mark.parametrize(
    ("n", "numeral"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
    ],
)
def test_chinese_numeral(n, numeral):
    from ecociv.report.build import chinese_numeral

    assert chinese_numeral(n) == numeral
