"""Air-quality rule sets (环境空气质量规则集): HJ 633 / GB 3095 / HJ 663, 2012 and 2026.

The rules are data (``data/air_rules_2012.yaml``, ``data/air_rules_2026.yaml``): IAQI breakpoint
tables, the report indicator sets, rounding, categories, validity rules and GB 3095 limits,
each block with its ``source:`` and a ``confidence:`` tag (P primary text, S secondary,
R recollection, X checked by running code on published data, choice = the standard is
silent).  ``practices`` holds the two readings of the real-time report: ``published`` (what the
networks publish, MONITORING.md §1.5, the default) and ``standard_text`` (the report tables
read literally).  :func:`load_rules` reads and validates one
generation into a frozen :class:`AirRules`; :func:`rules_for_date` picks the generation in
force on a date (HJ 633-2026 / GB 3095-2026 apply from 2026-03-01).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecociv.errors import EcocivError

RulesId = Literal["2012", "2026"]
Pollutant = Literal["so2", "no2", "pm10", "pm25", "co", "o3"]
Period = Literal["1h", "8h", "24h"]
ReportName = Literal["daily", "hourly", "hourly_table4"]
PracticeName = Literal["published", "standard_text"]
ZoneClass = Literal[1, 2]

#: Every concentration series a report may index (computed in :mod:`ecociv.monitor.air`).
DailyConcentrationKind = Literal[
    # daily report (日报): 24-hour means and the daily maxima of O3, in output order
    "so2_24h",
    "no2_24h",
    "pm10_24h",
    "pm25_24h",
    "co_24h",
    "o3_8h_max",
    "o3_1h_max",
]
HourlyConcentrationKind = Literal[
    # real-time report (实时报): 1-hour means and moving means ending at the hour
    "so2_1h",
    "no2_1h",
    "pm10_1h",
    "pm25_1h",
    "co_1h",
    "o3_1h",
    "o3_8h_moving",
    "so2_24h_moving",
    "pm10_24h_moving",
    "pm25_24h_moving",
]
ConcentrationKind = Literal[DailyConcentrationKind, HourlyConcentrationKind]
DAILY_CONCENTRATION_KINDS: tuple[str, ...] = get_args(DailyConcentrationKind)
HOURLY_CONCENTRATION_KINDS: tuple[str, ...] = get_args(HourlyConcentrationKind)
CONCENTRATION_KINDS: tuple[str, ...] = get_args(ConcentrationKind)


def is_average(kind: str) -> bool:
    """Whether a concentration kind is an average over several hours (24-hour, 8-hour moving,
    daily maximum 8-hour): published rounded, with its exact value kept as ``<kind>_mean``.
    The others are hourly values or maxima of hourly values, which enter as given."""
    return "_1h" not in kind


POLLUTANTS: tuple[str, ...] = get_args(Pollutant)

#: The date HJ 633-2026, GB 3095-2026 and HJ 663-2026 came into force.
RULES_2026_FROM = dt.date(2026, 3, 1)


class RulesError(EcocivError):
    """A rule file is missing or malformed, or an unknown rule set was asked for."""


def pollutant_of(kind: str) -> str:
    """The pollutant a concentration kind or limit key measures (``"pm25_24h"`` → ``"pm25"``)."""
    return kind.split("_", 1)[0]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Sourced(_Frozen):
    source: str
    confidence: Literal["P", "S", "R", "X", "choice"]


class AboveTop(_Sourced):
    """What a concentration above the last breakpoint of a shortened table gives."""

    rule: Literal["fallback", "fixed"]
    indicator: str | None = None  # fallback: the breakpoint table of the fallback value
    iaqi: int | None = None  # fixed: the IAQI it counts as

    @model_validator(mode="after")
    def _one_of(self) -> AboveTop:
        if (self.rule == "fallback") != (self.indicator is not None) or (self.rule == "fixed") != (
            self.iaqi is not None
        ):
            raise ValueError("fallback needs `indicator`, fixed needs `iaqi`")
        return self


class BreakpointTable(_Sourced):
    """One column of HJ 633 Table 1 (2012) / Table 3 (2026): concentration limits per IAQI level."""

    pollutant: Pollutant
    period: Period
    unit: Literal["µg/m³", "mg/m³"]
    values: tuple[Decimal, ...]
    above_top: AboveTop | None = None

    @model_validator(mode="after")
    def _increasing(self) -> BreakpointTable:
        if self.values[0] != 0 or any(
            a >= b for a, b in zip(self.values, self.values[1:], strict=False)
        ):
            raise ValueError("breakpoints must start at 0 and increase strictly")
        return self


class IaqiLevels(_Sourced):
    values: tuple[int, ...]


class BeyondTable(_Sourced):
    iaqi: int


class ReportIndicator(_Frozen):
    """One IAQI column of a report: which concentration, against which breakpoint table."""

    label: str
    concentration: ConcentrationKind
    table: str
    fallback: ConcentrationKind | None = None
    in_aqi: bool = True  # False: reported beside the AQI with its own IAQI, not in the maximum


class Report(_Sourced):
    indicators: dict[str, ReportIndicator]
    beside: str | None = None  # why indicators outside the report table are reported beside it

    @property
    def in_aqi(self) -> dict[str, ReportIndicator]:
        """The indicators whose IAQIs make the AQI (formula (2))."""
        return {k: ind for k, ind in self.indicators.items() if ind.in_aqi}


class Practice(_Sourced):
    """One reading of the reports: which real-time report, which 8-hour moving window, and the
    GB/T 8170 precision every average is published at before its IAQI (``None``: exact)."""

    hourly_report: ReportName
    o3_8h_moving_window: Literal["natural_day", "trailing"]
    average_decimals: dict[str, int] | None


class Rounding(_Sourced):
    """GB/T 8170 rounding (四舍六入五成双) to a number of decimals per pollutant, or none."""

    decimals: dict[str, int] | None
    method: Literal["half_even"] | None = None


class AqiRounding(_Sourced):
    method: Literal["ceiling"]


class Category(_Frozen):
    max_aqi: int | None
    level: str
    name: str
    colour: str
    rgb: tuple[int, int, int]


class Categories(_Sourced):
    items: tuple[Category, ...]


class PrimaryRule(_Sourced):
    aqi_above: int


class OverStandardRule(_Sourced):
    iaqi_above: int | None


class Completeness(_Sourced):
    """What the AQI is when an indicator of the report is missing."""

    rule: Literal["available", "publish_if_above"]
    aqi_above: int | None = None


class DailyMaxO3_8h(_Sourced):
    first_window_end: int
    last_window_end: int
    min_windows: int
    valid_if_exceeds: str


class DailyMaxO3_1h(_Sourced):
    min_hours: int
    valid_if_exceeds: str


class Validity(_Sourced):
    daily_min_hours: int
    o3_8h_min_hours: int
    moving_24h_min_hours: int
    annual_min_days: int
    monthly_min_days: int
    february_min_days: int
    o3_8h_daily_max: DailyMaxO3_8h
    o3_1h_daily_max: DailyMaxO3_1h


class PercentileRule(_Sourced):
    formula: str


class CompositeTerm(_Frozen):
    statistic: Literal["annual_mean", "percentile"]
    limit: str


class CompositeIndex(_Sourced):
    terms: dict[str, CompositeTerm]


class Annual(_Sourced):
    percentiles: dict[str, int]
    percentile_rule: PercentileRule
    good_day_max_aqi: int
    good_day_source: str
    composite_index: CompositeIndex


class LimitStage(_Sourced):
    """The GB 3095 limits of one period (GB 3095-2026 has a transitional and a final stage)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    stage: str
    from_: dt.date | None = Field(alias="from")
    until: dt.date | None
    class1: dict[str, Decimal]
    class2: dict[str, Decimal]

    def limits(self, zone_class: ZoneClass) -> dict[str, Decimal]:
        return self.class1 if zone_class == 1 else self.class2


class AirRules(_Frozen):
    """One generation of the air rules, validated and frozen."""

    id: RulesId
    title: str
    standards: tuple[str, ...]
    in_force_from: dt.date
    in_force_until: dt.date | None
    iaqi_levels: IaqiLevels
    breakpoints: dict[str, BreakpointTable]
    beyond_table: BeyondTable
    reports: dict[ReportName, Report]
    practices: dict[PracticeName, Practice]
    concentration_rounding: Rounding
    statistics_rounding: Rounding
    aqi_rounding: AqiRounding
    categories: Categories
    primary_pollutant: PrimaryRule
    over_standard: OverStandardRule
    completeness: Completeness
    validity: Validity
    annual: Annual
    limits: tuple[LimitStage, ...]

    @model_validator(mode="after")
    def _consistent(self) -> AirRules:
        levels = self.iaqi_levels.values
        for key, table in self.breakpoints.items():
            if key != f"{table.pollutant}_{table.period}":
                raise ValueError(f"breakpoint table {key} is not named pollutant_period")
            if len(table.values) > len(levels):
                raise ValueError(f"{key}: more breakpoints than IAQI levels")
            top = table.above_top
            if (
                top is not None
                and top.indicator is not None
                and top.indicator not in self.breakpoints
            ):
                raise ValueError(f"{key}: unknown fallback table {top.indicator}")
        for name, report in self.reports.items():
            for key, ind in report.indicators.items():
                if ind.table not in self.breakpoints:
                    raise ValueError(f"report {name}.{key}: unknown table {ind.table}")
                needs_fallback = self.breakpoints[ind.table].above_top
                if (needs_fallback is not None and needs_fallback.rule == "fallback") != (
                    ind.fallback is not None
                ):
                    raise ValueError(f"report {name}.{key}: fallback does not match its table")
        for practice_name, practice in self.practices.items():
            if practice.hourly_report not in self.reports:
                raise ValueError(
                    f"practice {practice_name}: unknown report {practice.hourly_report}"
                )
        pollutant_keys: tuple[Iterable[str], ...] = (
            *(p.average_decimals or {} for p in self.practices.values()),
            self.concentration_rounding.decimals or {},
            self.statistics_rounding.decimals or {},
            self.annual.percentiles,
            self.annual.composite_index.terms,
        )
        for keys in pollutant_keys:
            if set(keys) - set(POLLUTANTS):
                raise ValueError(f"unknown pollutants: {sorted(set(keys) - set(POLLUTANTS))}")
        for stage in self.limits:
            if set(stage.class1) != set(stage.class2):
                raise ValueError(f"limits {stage.stage}: class 1 and class 2 keys differ")
        used = {self.validity.o3_8h_daily_max.valid_if_exceeds}
        used |= {self.validity.o3_1h_daily_max.valid_if_exceeds}
        used |= {t.limit for t in self.annual.composite_index.terms.values()}
        for key in used:
            if any(key not in stage.class2 for stage in self.limits):
                raise ValueError(f"limit {key} is used but not defined in every stage")
        for key in (
            self.validity.o3_8h_daily_max.valid_if_exceeds,
            self.validity.o3_1h_daily_max.valid_if_exceeds,
        ):
            if len({stage.class2[key] for stage in self.limits}) != 1:
                raise ValueError(f"validity limit {key} must not change between stages")
        maxima = [c.max_aqi for c in self.categories.items]
        if maxima[-1] is not None or maxima[:-1] != sorted(m for m in maxima if m is not None):
            raise ValueError("categories must be ordered and end with an open class")
        return self

    def table(self, pollutant: str, period: str) -> BreakpointTable:
        """The breakpoint table of *pollutant* over *period* (HJ 633 Table 1 / Table 3)."""
        key = f"{pollutant}_{period}"
        try:
            return self.breakpoints[key]
        except KeyError:
            raise RulesError(
                f"规则集 {self.id} 中没有 {key} 的分指数分级限值，可用：{', '.join(self.breakpoints)}",
                f"rule set {self.id} has no IAQI breakpoints for {key}; "
                f"available: {', '.join(self.breakpoints)}",
            ) from None

    def stage_for_year(self, year: int) -> LimitStage:
        """The GB 3095 limit stage in force in *year* (GB 3095-2026: transitional to 2030)."""
        for stage in self.limits:
            starts = stage.from_ is None or stage.from_.year <= year
            if starts and (stage.until is None or year <= stage.until.year):
                return stage
        return self.limits[0]

    def fixed_limit(self, key: str, zone_class: ZoneClass = 2) -> Decimal:
        """A limit that is the same in every stage (validated at load for the keys it is used on)."""
        return self.limits[0].limits(zone_class)[key]


def _read(rules_id: str) -> dict:
    name = f"air_rules_{rules_id}.yaml"
    text = resources.files("ecociv.monitor").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def load_rules(rules_id: str) -> AirRules:
    """Load and validate one generation of the air rules: ``"2012"`` or ``"2026"``."""
    rules_id = str(rules_id)
    if rules_id not in get_args(RulesId):
        raise RulesError(
            f"未知的规则集 {rules_id!r}；请用 2012 或 2026",
            f"unknown rule set {rules_id!r}; use 2012 or 2026",
        )
    try:
        return AirRules.model_validate(_read(rules_id))
    except (ValidationError, yaml.YAMLError) as exc:
        raise RulesError(
            f"规则文件 air_rules_{rules_id}.yaml 无效：{exc}",
            f"rule file air_rules_{rules_id}.yaml is invalid: {exc}",
            where=f"ecociv/monitor/data/air_rules_{rules_id}.yaml",
        ) from exc


def rules_for_date(day: dt.date | dt.datetime) -> AirRules:
    """The rule set in force on *day*: 2026 from 2026-03-01 (HJ 633-2026 §1), else 2012."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return load_rules("2026" if day >= RULES_2026_FROM else "2012")
