"""IAQI per HJ 633-2012 Table 1 / HJ 633-2026 Table 3: the Decimal reference and the Ibis
expressions, at and between every breakpoint, the >800 rules, rounding, and the worked vectors
of ../shared/facts/MONITORING.md §1b."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import ibis
import pandas as pd
import pytest

from ecociv.errors import EcocivError
from ecociv.monitor.air_expr import iaqi_expr, to_micro
from ecociv.monitor.iaqi import (
    aqi,
    category,
    iaqi,
    over_standard_pollutants,
    primary_pollutants,
    report_iaqis,
)
from ecociv.monitor.rules import AirRules, RulesError, load_rules, rules_for_date

R12 = load_rules("2012")
R26 = load_rules("2026")
RULES = {"2012": R12, "2026": R26}


def _cases(rules: AirRules):
    for key, table in rules.breakpoints.items():
        levels = rules.iaqi_levels.values
        for i, bp in enumerate(table.values):
            yield key, table, bp, levels[i]


@pytest.mark.parametrize("rules_id", ["2012", "2026"])
def test_iaqi_at_every_breakpoint_is_its_level(rules_id):
    rules = RULES[rules_id]
    for _key, table, bp, level in _cases(rules):
        assert iaqi(table.pollutant, table.period, bp, rules) == level, (table, bp)


@pytest.mark.parametrize("rules_id", ["2012", "2026"])
def test_iaqi_at_segment_midpoints_is_the_midpoint_level(rules_id):
    """Formula (1) is linear inside a segment: the midpoint concentration gives the midpoint
    IAQI (levels differ by 50 or 100, so it is an integer and the ceiling keeps it).  Under
    the 2026 rules the midpoint is first rounded (§4.2.2), so only midpoints that are already
    integers (CO: one decimal) are used there."""
    rules = RULES[rules_id]
    levels = rules.iaqi_levels.values
    checked = 0
    for table in rules.breakpoints.values():
        for i in range(len(table.values) - 1):
            mid = (table.values[i] + table.values[i + 1]) / 2
            decimals = 1 if table.pollutant == "co" else 0
            if rules_id == "2026" and mid != round(mid, decimals):
                continue
            expected = (levels[i] + levels[i + 1]) // 2
            assert iaqi(table.pollutant, table.period, mid, rules) == expected, (table, mid)
            checked += 1
    assert checked > 40


def test_iaqi_just_above_a_breakpoint_rounds_up():
    """HJ 633-2012 §6.2: results are rounded up, so the smallest excess gives level + 1."""
    for _key, table, bp, level in _cases(R12):
        if bp == table.values[-1]:
            continue
        assert iaqi(table.pollutant, table.period, bp + Decimal("0.001"), R12) == level + 1


@pytest.mark.parametrize(
    ("pollutant", "period", "c", "iaqi_2012", "iaqi_2026"),
    [
        # MONITORING.md §1b worked vectors
        ("pm25", "24h", "36", 52, 52),
        ("pm25", "24h", "75", 100, 114),
        ("pm25", "24h", "75.4", 101, 114),
        ("pm25", "24h", "80", 107, 119),
        ("pm10", "24h", "130", 90, 104),
        ("pm10", "24h", "150.9", 101, 112),
        ("co", "24h", "2.5", 63, 63),
        ("co", "24h", "3.9", 98, 98),
        ("so2", "24h", "475", 150, 150),
        ("o3", "8h", "161", 101, 101),
        ("o3", "1h", "400", 200, 200),
        # the float trap (MONITORING.md §1b): 2.2 mg/m³ is exactly IAQI 55
        ("co", "24h", 2.2, 55, 55),
    ],
)
def test_worked_vectors_of_monitoring_md(pollutant, period, c, iaqi_2012, iaqi_2026):
    assert iaqi(pollutant, period, c, R12) == iaqi_2012
    assert iaqi(pollutant, period, c, R26) == iaqi_2026


@pytest.mark.parametrize(
    ("pollutant", "period", "c", "iaqi_2012", "iaqi_2026", "rounded_2026"),
    [
        # The two worked vectors whose 2026 value in MONITORING.md §1b (51, 51) is that of the
        # unrounded concentration.  HJ 633-2026 §4.2.2 rounds first per GB/T 8170 (half to
        # even): 35.5 → 36 (kept digit 5 is odd) and 100.5 → 100 (kept digit 0 is even).
        ("pm25", "24h", "35.5", 51, 52, "36"),
        ("no2", "1h", "100.5", 51, 50, "100"),
    ],
)
def test_2026_rounds_the_concentration_first_gb_t_8170(
    pollutant, period, c, iaqi_2012, iaqi_2026, rounded_2026
):
    assert iaqi(pollutant, period, c, R12) == iaqi_2012
    assert iaqi(pollutant, period, c, R26) == iaqi_2026
    assert iaqi(pollutant, period, rounded_2026, R26) == iaqi_2026


def test_so2_1h_above_800_2012_reports_the_24h_iaqi():
    """HJ 633-2012 Table 1 note 2."""
    assert iaqi("so2", "1h", 800, R12) == 200
    assert iaqi("so2", "1h", 801, R12, fallback=475) == 150
    assert iaqi("so2", "1h", "800.000001", R12, fallback=60) == 55
    assert iaqi("so2", "1h", 801, R12) is None  # no 24-hour mean: NA


def test_so2_1h_above_800_2026_counts_as_200():
    """HJ 633-2026 Table 3 note b."""
    assert iaqi("so2", "1h", 801, R26, fallback=475) == 200
    assert iaqi("so2", "1h", 5000, R26) == 200


def test_o3_8h_above_800_2012_reports_the_1h_iaqi():
    """HJ 633-2012 Table 1 note 3."""
    assert iaqi("o3", "8h", 800, R12) == 300
    assert iaqi("o3", "8h", 801, R12, fallback=1000) == 400
    assert iaqi("o3", "8h", 801, R12) is None


def test_o3_8h_above_800_2026_counts_as_300():
    """HJ 633-2026 Table 3 note c."""
    assert iaqi("o3", "8h", 801, R26, fallback=1000) == 300


def test_above_the_last_breakpoint_is_500_and_missing_or_negative_is_none():
    assert iaqi("pm25", "24h", 500, R12) == 500
    assert iaqi("pm25", "24h", 501, R12) == 500
    assert iaqi("pm10", "24h", 1200, R26) == 500
    assert iaqi("pm25", "24h", None, R12) is None
    assert iaqi("pm25", "24h", -1, R12) is None


def test_bad_concentration_and_unknown_table_are_bilingual_errors():
    with pytest.raises(EcocivError) as err:
        iaqi("pm25", "24h", "abc", R12)
    assert "不是有限数" in err.value.zh and "not a finite number" in err.value.en
    for bad in (float("nan"), float("inf"), Decimal("NaN"), "-Infinity"):
        with pytest.raises(EcocivError):
            iaqi("pm25", "24h", bad, R12)
    with pytest.raises(RulesError) as err:
        iaqi("pm25", "1h", 10, R12)
    assert "pm25_1h" in err.value.en


def test_rules_load_validate_and_choose_by_date():
    assert rules_for_date(dt.date(2026, 2, 28)).id == "2012"
    assert rules_for_date(dt.date(2026, 3, 1)).id == "2026"
    assert rules_for_date(dt.datetime(2026, 3, 1, 0, 30)).id == "2026"
    with pytest.raises(RulesError):
        load_rules("2018")
    data = R12.model_dump(by_alias=True)
    data["breakpoints"]["pm25_24h"]["values"] = [0, 75, 35]
    with pytest.raises(ValueError, match="increase strictly"):
        AirRules.model_validate(data)
    for rules in RULES.values():
        for block in (rules.iaqi_levels, rules.validity, rules.annual, rules.categories):
            assert block.source
        assert all(t.source for t in rules.breakpoints.values())
    assert R26.stage_for_year(2030).stage == "过渡阶段"
    assert R26.stage_for_year(2031).limits(2)["pm25_annual"] == 25


def test_aqi_category_primary_and_over_standard():
    iaqis = {"so2": 10, "no2": 30, "pm10": 120, "co": 20, "pm25": 120, "o3_1h": 40, "o3_8h": 60}
    assert aqi(iaqis, R12) == 120
    assert primary_pollutants(iaqis, R12) == ("pm10", "pm25")  # ties listed together
    assert over_standard_pollutants(iaqis, R12) == ("pm10", "pm25")
    assert over_standard_pollutants(iaqis, R26) == ()  # HJ 633-2026 deleted the term
    assert category(120).name == "轻度污染" and category(120).level == "三级"
    assert [category(v).name for v in (50, 51, 100, 101, 200, 201, 300, 301)] == [
        "优", "良", "良", "轻度污染", "中度污染", "重度污染", "重度污染", "严重污染",
    ]  # fmt: skip
    assert primary_pollutants({"so2": 50, "pm25": 50}, R12) == ()  # AQI ≤ 50: none


def test_aqi_with_a_missing_indicator_follows_the_rule_set():
    low = {"so2": 10, "no2": 30, "pm10": 60, "co": 20, "pm25": None, "o3_8h": 60}
    high = {**low, "pm10": 160}
    assert aqi(low, R12) == 60  # 2012: the maximum of the indicators present
    assert aqi(low, R26) is None  # HJ 633-2026 §5.3: NA unless above 100
    assert aqi(high, R26) == 160
    assert primary_pollutants(low, R26) == ()


def test_report_iaqis_daily_2012_uses_o3_1h_for_o3_8h_above_800():
    conc = {"so2_24h": 10, "no2_24h": 20, "pm10_24h": 30, "co_24h": 1, "pm25_24h": 20}
    got = report_iaqis("daily", {**conc, "o3_8h_max": 900, "o3_1h_max": 1100}, R12)
    assert got["o3_8h"] == got["o3_1h"] == 450
    got26 = report_iaqis("daily", {**conc, "o3_8h_max": 900, "o3_1h_max": 1100}, R26)
    assert got26["o3_8h"] == 300 and "o3_1h" not in got26


def _ibis_iaqis(rules: AirRules, columns: dict[str, list], fallbacks: dict[str, list]):
    """Evaluate iaqi_expr for each breakpoint table on DuckDB, one query for all of them."""
    frame = pd.DataFrame({**columns, **{f"fb_{k}": v for k, v in fallbacks.items()}})
    t = ibis.memtable(frame)
    exprs = {}
    for key, table in rules.breakpoints.items():
        top = table.above_top
        fb = None
        if top is not None and top.rule == "fallback":
            fb = to_micro(t[f"fb_{key}"])
            fb_table = rules.breakpoints[str(top.indicator)]
            fb = _rounded(fb, fb_table.pollutant, rules)
        micro = _rounded(to_micro(t[key]), table.pollutant, rules)
        exprs[key] = iaqi_expr(micro, table, rules, fb)
    return ibis.duckdb.connect().execute(t.select(**exprs))


def _rounded(micro, pollutant, rules):
    from ecociv.monitor.air_expr import round_micro

    decimals = rules.concentration_rounding.decimals
    return micro if decimals is None else round_micro(micro, decimals[pollutant])


@pytest.mark.parametrize("rules_id", ["2012", "2026"])
def test_ibis_iaqi_equals_the_decimal_reference(rules_id):
    """The engine expression and the Decimal reference agree on every breakpoint, every
    midpoint, values a hair above and below, half-way rounding cases, and random values with
    up to 4 decimals, including the >800 rules and values above the table."""
    rules = RULES[rules_id]
    rng = random.Random(633)
    n = 3000
    columns: dict[str, list] = {}
    fallbacks: dict[str, list] = {}
    for key, table in rules.breakpoints.items():
        special: list[float] = []
        for bp in table.values:
            for delta in ("0", "0.0001", "-0.0001", "0.5", "-0.5", "0.05", "0.25"):
                value = bp + Decimal(delta)
                if value >= 0:
                    special.append(float(value))
        top = float(table.values[-1])
        rand = [round(rng.uniform(0, top * 1.1), rng.choice([0, 1, 2, 3, 4])) for _ in range(n)]
        columns[key] = [*(special + rand)[:n], None]
        fallbacks[key] = [round(rng.uniform(0, 1500), 1) for _ in range(n)] + [None]
    got = _ibis_iaqis(rules, columns, fallbacks)
    for key, table in rules.breakpoints.items():
        for i, c in enumerate(columns[key]):
            fb = fallbacks[key][i]
            want = iaqi(table.pollutant, table.period, c, rules, fallback=fb)
            have = got[key][i]
            have = None if pd.isna(have) else int(have)
            assert have == want, (rules_id, key, c, fb)


def test_ibis_co_2_2_is_55_not_56():
    got = _ibis_iaqis(R12, {k: [2.2] for k in R12.breakpoints}, {k: [1.0] for k in R12.breakpoints})
    assert int(got["co_24h"][0]) == 55
