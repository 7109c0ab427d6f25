"""Audit acceptance on the seed plans (read from ../shared/seeds at test time)."""

from __future__ import annotations

from collections import Counter

import pytest

from ecociv.assess.audit import AuditInputs, audit_plan, stated_status
from ecociv.ingest.api import load_plan
from ecociv.model import VerdictStatus as S

pytestmark = pytest.mark.seeds


def test_seed_002_review_table_all_nine_reproduced(seed_path) -> None:
    report = audit_plan(load_plan(seed_path("002")))
    rows = [r for r in report.rows if r.verdict_header == "完成情况"]
    assert len(rows) == 9
    assert Counter(r.stated_status for r in rows) == {S.MET: 6, S.NOT_MET: 3}
    assert all(r.agreement == "agree" for r in rows), [(r.seq, r.reason) for r in rows]
    assert report.summary.agree == 9 and report.summary.disagree == 0


def test_seed_002_water_class_and_forest(seed_path) -> None:
    rows = {r.seq: r for r in audit_plan(load_plan(seed_path("002"))).rows}
    water = next(r for r in rows.values() if r.value == "II")
    assert water.requirement == "Ⅲ" and water.computed_status is S.MET
    forest = next(r for r in rows.values() if r.value == "26.5")
    assert forest.requirement == "20.5" and forest.computed_status is S.MET
    assert "26.5≥20.5" in forest.reason


def test_seed_000_every_baseline_verdict_found_none_contradicted(seed_path) -> None:
    report = audit_plan(load_plan(seed_path("000")))
    found = {(r.table, r.seq): r.stated_status for r in report.rows}
    assert found == {
        (0, "7.1"): S.NOT_MET,
        (0, "7.2"): S.MET,
        (0, "8.1"): S.MET,
        (0, "8.2"): S.MET,
        (0, "21"): S.MET,
        (1, "8.1"): S.NOT_MET,
        (1, "8.2"): S.MET,
        (1, "27.2"): S.MET,
    }
    assert report.summary.disagree == 0
    agreed = {(r.table, r.seq) for r in report.rows if r.agreement == "agree"}
    assert agreed == {(0, "8.1"), (0, "8.2")}  # 水质优良率100%, 劣V类 0%: at the best bound
    for row in report.rows:
        if row.agreement == "undecided":
            assert row.missing, row.seq  # names the quota (or figure) the plan does not give


def test_seed_000_with_given_quotas_is_decided(seed_path) -> None:
    # Quotas a reviewer would supply from the higher level's assessment (values made up here).
    inputs = AuditInputs(
        quotas={"优良天数比例": 82.0, "PM2.5浓度下降幅度": 10.0, "PM2.5浓度": 35.0}
    )
    rows = {(r.table, r.seq): r for r in audit_plan(load_plan(seed_path("000")), inputs).rows}
    assert rows[(0, "7.1")].agreement == "agree"  # 79.5 < 82
    assert rows[(0, "7.2")].agreement == "agree"  # 下降18.4% ≥ 10
    assert rows[(1, "8.1")].agreement == "agree"


def test_a_contradicted_verdict_is_a_disagreement(seed_path) -> None:
    inputs = AuditInputs(quotas={"优良天数比例": 75.0})
    row = next(r for r in audit_plan(load_plan(seed_path("000")), inputs).rows if r.seq == "7.1")
    assert row.agreement == "disagree"
    assert "未完成" in row.reason and "79.5" in row.reason


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("完成", S.MET),
        ("未完成", S.NOT_MET),
        ("是", S.MET),
        ("否", S.NOT_MET),
        ("达标", S.MET),
        ("—", S.NOT_APPLICABLE),
    ],
)
def test_stated_status_words(text: str, status: S) -> None:
    assert stated_status(text) is status


@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_every_seed_table_reports_found_equal_to_stated(seed_path, key: str) -> None:
    report = audit_plan(load_plan(seed_path(key)))
    assert report.tables, "no table counted"
    for count in report.tables:
        assert count.found == count.stated, count
    assert sum(c.found for c in report.tables) == len(report.rows)
