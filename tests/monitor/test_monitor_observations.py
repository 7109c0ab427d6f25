"""Monitoring results → plan-indicator observations (codes, units, validity notes)."""

from __future__ import annotations

import pandas as pd
import pytest

from ecociv.monitor.observations import AIR_INDICATORS, air_observations, water_observations


def test_air_annual_row_becomes_observations():
    row = {
        "region_code": "990101",
        "year": 2024,
        "good_day_ratio": 86 / 91 * 100,
        "pm25_annual_mean": 31.0,
        "valid_pm25": True,
        "pm10_annual_mean": 55.0,
        "valid_pm10": False,
        "co_p95": 1.2,
        "valid_co": True,
        "o3_8h_p90": 158.0,
        "valid_o3": True,
        "rules": "2012",
    }
    found = {o.indicator_code: o for o in air_observations(pd.DataFrame([row]), source="x")}
    assert found["air.good_days_ratio"].value == pytest.approx(94.505, abs=1e-3)
    assert found["air.good_days_ratio"].unit == "%"
    assert (
        found["air.pm25_annual_mean"].unit == "µg/m³" and found["air.pm25_annual_mean"].note is None
    )
    assert found["air.pm10_annual_mean"].note is not None  # year not valid: kept, flagged
    assert found["air.co_p95"].unit == "mg/m³"
    assert "rules 2012" in found["air.o3_8h_p90"].method
    assert "air.so2_annual_mean" not in found  # column absent: no observation
    assert {o.region_code for o in found.values()} == {"990101"}


def test_codes_are_unique_and_dotted():
    codes = [m.code for m in AIR_INDICATORS]
    assert len(codes) == len(set(codes)) and all(c.startswith("air.") for c in codes)


def test_water_yearly_regions_only():
    regions = pd.DataFrame(
        [
            {
                "region_code": "990101",
                "period": "2024",
                "sections": 8,
                "share_i_iii": 75.0,
                "share_worse_v": 12.5,
            },
            {
                "region_code": "990101",
                "period": "2024-03",
                "sections": 8,
                "share_i_iii": 50.0,
                "share_worse_v": 0.0,
            },
        ]
    )
    found = water_observations(regions)
    assert [(o.indicator_code, o.year, o.value) for o in found] == [
        ("water.class3_share", 2024, 75.0),
        ("water.worse_than_v_share", 2024, 12.5),
    ]
    assert "8 个断面" in found[0].method
