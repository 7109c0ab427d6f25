"""Monitoring results as plan-indicator observations (监测结果 → 指标观测值).

Annual air statistics (:func:`ecociv.monitor.air.annual` at city level) and water region
summaries (:func:`ecociv.monitor.water.evaluate`) become :class:`ecociv.model.Observation`
values with stable, standard-neutral indicator codes.  The codes end like the codes of the
demonstration-zone standards (``src/ecociv/standards/data``: ``nat2019.air.good_days_ratio``,
``zj2019.water.class3_share`` …), so ``<standard>.<code>`` finds the matching standard item.
Units are the canonical units of ``ecociv/expr/units.yaml``.

Takes executed results (Arrow tables or pandas frames); does no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from ecociv.model import Observation


@dataclass(frozen=True)
class Mapping:
    """One indicator: its code, the result column it comes from, unit, name and validity."""

    code: str
    column: str
    unit: str
    name: str
    valid_column: str | None = None


#: Annual air statistics → indicators (HJ 663-2013 annual evaluation; 优良天数比例 per HJ 633).
AIR_INDICATORS = (
    Mapping("air.good_days_ratio", "good_day_ratio", "%", "优良天数比例"),
    Mapping("air.pm25_annual_mean", "pm25_annual_mean", "µg/m³", "PM2.5年均浓度", "valid_pm25"),
    Mapping("air.pm10_annual_mean", "pm10_annual_mean", "µg/m³", "PM10年均浓度", "valid_pm10"),
    Mapping("air.so2_annual_mean", "so2_annual_mean", "µg/m³", "SO2年均浓度", "valid_so2"),
    Mapping("air.no2_annual_mean", "no2_annual_mean", "µg/m³", "NO2年均浓度", "valid_no2"),
    Mapping("air.co_p95", "co_p95", "mg/m³", "CO日均值第95百分位数", "valid_co"),
    Mapping("air.o3_8h_p90", "o3_8h_p90", "µg/m³", "O3日最大8小时第90百分位数", "valid_o3"),
    Mapping("air.composite_index", "composite_index", "", "环境空气质量综合指数"),
)

#: Water region summaries → indicators (《地表水环境质量评价办法（试行）》).
WATER_INDICATORS = (
    Mapping("water.class3_share", "share_i_iii", "%", "地表水水质达到或优于Ⅲ类比例"),
    Mapping("water.worse_than_v_share", "share_worse_v", "%", "劣Ⅴ类水体比例"),
)


def _rows(results: pa.Table | pd.DataFrame) -> list[dict[str, Any]]:
    frame = results.to_pandas() if isinstance(results, pa.Table) else results
    return frame.to_dict("records")


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def air_observations(
    annual: pa.Table | pd.DataFrame, *, source: str | None = None
) -> list[Observation]:
    """One observation per region, year and air indicator (city-level annual results).

    A statistic whose year is not valid (GB 3095-2012 表4: < 324 daily values, or a month
    short) keeps its value and says so in ``note``.
    """
    observations = []
    for row in _rows(annual):
        region = str(row.get("region_code", row.get("station_id")))
        rules = row.get("rules")
        for m in AIR_INDICATORS:
            if m.column not in row:
                continue
            valid = bool(row[m.valid_column]) if m.valid_column in row else True
            observations.append(
                Observation(
                    indicator_code=m.code,
                    region_code=region,
                    year=int(row["year"]),
                    value=_number(row[m.column]),
                    unit=m.unit or None,
                    source=source,
                    method=f"{m.name}; rules {rules} (GB 3095 / HJ 633 / HJ 663)",
                    note=None if valid else "年度数据有效性不足（GB 3095 表4）/ year not valid",
                )
            )
    return observations


def water_observations(
    regions: pa.Table | pd.DataFrame, *, source: str | None = None
) -> list[Observation]:
    """One observation per region, year and water indicator (yearly region summaries)."""
    observations = []
    for row in _rows(regions):
        period = str(row["period"])
        if not period.isdigit():
            continue  # only yearly periods are indicator years
        for m in WATER_INDICATORS:
            observations.append(
                Observation(
                    indicator_code=m.code,
                    region_code=str(row["region_code"]),
                    year=int(period),
                    value=_number(row[m.column]),
                    unit=m.unit,
                    source=source,
                    method=f"{m.name}; GB 3838-2002, 环办〔2011〕22号; {int(row['sections'])} 个断面",
                )
            )
    return observations
