"""Progress and projection, checked against a worked example computed by hand.

PM2.5 (lower is better): 2020 40, 2021 39, 2022 35, 2023 34; target 30 in 2025.
Weights w = t − 2020 + 1 = 1, 2, 3, 4 (Σw = 10).
t̄ = (0·1 + 1·2 + 2·3 + 3·4)/10 = 2.0 (i.e. 2022); ȳ = (40 + 78 + 105 + 136)/10 = 35.9.
Σw(t − t̄)(y − ȳ) = 1·(−2)(4.1) + 2·(−1)(3.1) + 0 + 4·(1)(−1.9) = −22.0;
Σw(t − t̄)² = 4 + 2 + 0 + 4 = 10 → slope b = −2.2 per year.
ŷ(2025) = 35.9 − 2.2·3 = 29.3; APr = (29.3 − 40)/(30 − 40) = 1.07 → on track.
Progress made = (34 − 40)/(30 − 40) = 0.6.  With target 25: APr = 10.7/15 = 0.7133 → off
track, moderate (0.60 ≤ APr < 0.95).
"""

from __future__ import annotations

import pytest

from ecociv.assess.progress import project, weighted_trend

SERIES = {2020: 40.0, 2021: 39.0, 2022: 35.0, 2023: 34.0}


def test_weighted_trend_by_hand() -> None:
    intercept, slope = weighted_trend(sorted(SERIES.items()))
    assert slope == pytest.approx(-2.2)
    assert intercept + slope * 5 == pytest.approx(29.3)


def test_on_track() -> None:
    p = project(SERIES, target_value=30, target_year=2025, better="lower", base_year=2020)
    assert p.status == "on_track" and p.category == "substantial"
    assert p.anticipated_value == pytest.approx(29.3)
    assert p.anticipated_progress == pytest.approx(1.07)
    assert p.progress_made == pytest.approx(0.6)
    assert p.method == "time_weighted_linear_regression"
    assert p.method_params["weights"] == "w = t - t_first + 1"


def test_off_track_moderate() -> None:
    p = project(SERIES, target_value=25, target_year=2025, better="lower", base_year=2020)
    assert p.status == "off_track" and p.category == "moderate"
    assert p.anticipated_progress == pytest.approx(10.7 / 15)


def test_deterioration() -> None:
    p = project(
        {2020: 80.0, 2021: 79.0, 2022: 78.0}, target_value=85, target_year=2025, better="higher"
    )
    assert p.status == "off_track" and p.category == "deterioration"
    assert p.anticipated_progress < 0


def test_target_already_met() -> None:
    p = project({2020: 20.0, 2023: 26.5}, target_value=20.5, target_year=2025, better="higher")
    assert p.status == "target_met" and p.category == "achieved"


def test_base_year_missing_uses_the_next_year() -> None:
    p = project(
        {2021: 39.0, 2023: 34.0}, target_value=30, target_year=2025, better="lower", base_year=2020
    )
    assert p.base_year == 2021 and p.base_value == 39.0


def test_one_point_is_insufficient() -> None:
    p = project({2020: 40.0}, target_value=30, target_year=2025, better="lower")
    assert p.status == "insufficient_data"
    assert p.reason_en
