"""One entry point for the air results a user asks for: level × period × rules (engine-agnostic).

Builds the Ibis expression from the canonical hourly table and, for city level, the station
metadata; nothing is executed here.  ``rules="auto"`` picks the rule set in force on each
day (HJ 633-2026 and GB 3095-2026 from 2026-03-01, the 2012/2013 rules before): hourly and
daily results are computed per rule set on their own days and stacked; an annual result uses
the rule set in force at the end of the data (HJ 663-2026 governs evaluations made under the
new standards), so a year that straddles the switch is judged by the 2026 rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from ecociv.errors import InputError
from ecociv.monitor import air, backends
from ecociv.monitor.air_options import AirOptions
from ecociv.monitor.rules import AirRules, load_rules, rules_for_date

Level = Literal["station", "city"]
PeriodName = Literal["hour", "day", "year"]
RULES_SWITCH = dt.datetime(2026, 3, 1, 1)  # first hour-ending timestamp of 2026-03-01


@dataclass(frozen=True)
class AirRequest:
    level: Level = "station"
    period: PeriodName = "day"
    rules: str = "auto"  # "auto", "2012" or "2026"
    options: AirOptions = field(default_factory=AirOptions)


def rule_sets(first: dt.datetime, last: dt.datetime, choice: str) -> list[AirRules]:
    """The rule sets that apply to data from *first* to *last* (hour-ending times)."""
    if choice != "auto":
        return [load_rules(choice)]
    days = {(first - dt.timedelta(hours=1)).date(), (last - dt.timedelta(hours=1)).date()}
    return sorted(
        {rules_for_date(d).id: rules_for_date(d) for d in days}.values(), key=lambda r: r.id
    )


def air_results(
    hourly: ir.Table,
    request: AirRequest,
    rules: list[AirRules],
    stations: ir.Table | None = None,
) -> ir.Table:
    """The result table of *request* (see docs/monitoring.md for its columns)."""
    if request.level == "city" and stations is None:
        raise InputError(
            "城市级结果需要站点信息（--stations），其中含 region_code",
            "city-level results need the station metadata (--stations) with region_code",
        )
    if request.level == "city" and request.period == "hour":
        raise InputError(
            "城市级结果按日或按年计算（--period day|year）",
            "city-level results are daily or yearly (--period day|year)",
        )
    if request.period == "year":
        return air.annual(_daily(hourly, request, rules[-1], stations), rules[-1], request.options)
    parts = [
        _one(_days_of(hourly, rule, len(rules) > 1), request, rule, stations) for rule in rules
    ]
    return parts[0] if len(parts) == 1 else parts[0].union(parts[1])


def _days_of(hourly: ir.Table, rule: AirRules, split: bool) -> ir.Table:
    if not split:
        return hourly
    switch = ibis.literal(RULES_SWITCH)
    return hourly.filter(hourly.time >= switch if rule.id == "2026" else hourly.time < switch)


def _one(hourly: ir.Table, request: AirRequest, rule: AirRules, stations) -> ir.Table:
    if request.period == "hour":
        return air.hourly_aqi(hourly, rule, request.options)
    return _daily(hourly, request, rule, stations)


def _daily(hourly: ir.Table, request: AirRequest, rule: AirRules, stations) -> ir.Table:
    if request.level == "city":
        return air.city_daily(hourly, stations, rule, request.options)
    return air.daily(hourly, rule, request.options)


def execute_air(
    con: BaseBackend,
    hourly: ir.Table,
    request: AirRequest,
    rules: list[AirRules],
    stations: ir.Table | None = None,
) -> pa.Table:
    """Run *request* on *con*, sorted by key and time on every engine.  An annual request first
    materialises the daily table, which the annual statistics read several times (Spark would
    otherwise recompute it each time)."""
    if request.period != "year":
        result = con.to_pyarrow(air_results(hourly, request, rules, stations))
    else:
        day_request = AirRequest(request.level, "day", rules[-1].id, request.options)
        daily = con.to_pyarrow(air_results(hourly, day_request, rules[-1:], stations))
        daily_table = backends.table(con, "ecociv_daily", daily)
        result = con.to_pyarrow(air.annual(daily_table, rules[-1], request.options))
    return result.sort_by([(name, "ascending") for name in result.column_names[:2]])
