"""The outlier rule (ecociv.assess.outliers): literal cases and generated variations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecociv.assess.outliers import find_outlier, outlier_rule

PM25 = [(2019, 36.0), (2020, 33.0), (2021, 31.0), (2022, 30.0)]


@pytest.mark.parametrize(
    ("value", "history", "rule"),
    [
        (150.0, PM25, "previous_year"),  # issue 13: 5× the year before
        (3.0, PM25, "previous_year"),  # a misplaced decimal point
        (0.03, PM25, "previous_year"),  # mg/m³ typed for µg/m³
        (150.0, [(2022, 30.0)], "previous_year"),
        (58.0, [(y, 30.0 + (y % 2)) for y in range(2013, 2023)], "modified_z"),
        (48.0, [(2019, 30.0), (2020, 30.0), (2021, 30.0), (2022, 30.0)], "modified_z"),
    ],
)
def test_outliers(value: float, history: list[tuple[int, float]], rule: str) -> None:
    found = find_outlier(value, history)
    assert found is not None and found.rule == rule


@pytest.mark.parametrize(
    ("value", "history"),
    [
        (28.0, PM25),  # an ordinary improvement
        (39.0, [(y, 31.0 + (y % 2) * 0.4) for y in range(2015, 2024)]),  # a bad year (+26 %)
        (36.0, PM25),  # a bad year, but within the history
        (95.0, [(2021, 94.1), (2022, 95.5)]),
        (150.0, []),  # nothing to compare with
        (-2.0, [(2021, 3.1), (2022, 2.8)]),  # a growth rate changing sign is not a ratio
        (31.0, [(2000, 300.0), (2001, 290.0), (2021, 30.0), (2022, 29.0)]),  # old years ignored
    ],
)
def test_not_outliers(value: float, history: list[tuple[int, float]]) -> None:
    assert find_outlier(value, history) is None


def test_the_rule_is_data_with_its_source() -> None:
    rule = outlier_rule()
    assert "Iglewicz" in rule.source and rule.modified_z_threshold == 3.5
    assert rule.previous_year_ratio == 2.0


@given(
    power=st.integers(min_value=-20, max_value=20),
    history=st.lists(st.floats(min_value=1.0, max_value=100.0), min_size=1, max_size=10),
    value=st.floats(min_value=0.01, max_value=1000.0),
)
def test_the_verdict_does_not_depend_on_the_unit(
    power: int, history: list[float], value: float
) -> None:
    """Multiplying every value by the same factor changes no verdict (a power of two, so that
    the floating-point products are exact)."""
    scale = 2.0**power
    dated = list(enumerate(history, start=2010))
    first = find_outlier(value, dated)
    second = find_outlier(value * scale, [(y, v * scale) for y, v in dated])
    assert (first and first.rule) == (second and second.rule)


@given(history=st.lists(st.floats(min_value=1.0, max_value=100.0), min_size=1, max_size=10))
def test_the_previous_value_itself_is_never_an_outlier_by_ratio(history: list[float]) -> None:
    dated = list(enumerate(history, start=2010))
    found = find_outlier(history[-1], dated)
    assert found is None or found.rule == "modified_z"
