"""The verdict engine on the {requirement, value, given, verdict} cases of verdict_cases.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecociv.assess.context import Context
from ecociv.assess.verdict import evaluate
from ecociv.expr.parse import parse, parse_value

CASES = yaml.safe_load((Path(__file__).parent / "verdict_cases.yaml").read_text("utf-8"))


def _context(case: dict) -> Context:
    given = dict(case.get("given") or {})
    series = {int(y): float(v) for y, v in (given.pop("series", None) or {}).items()}
    return Context(series=series, **given).with_direction_of(case["indicator"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_verdict_case(case: dict) -> None:
    requirement = parse(case["requirement"]).expr
    value = parse_value(str(case["value"])).expr
    verdict = evaluate(requirement, value, _context(case))
    expected = case["verdict"]
    assert verdict.status.value == expected["status"], (verdict.reason_zh, requirement, value)
    assert verdict.reason_zh and verdict.reason_en
    if "margin" in expected:
        assert verdict.margin == pytest.approx(expected["margin"], abs=1e-6)
    if "missing" in expected:
        assert any(expected["missing"] in m for m in verdict.missing), verdict.missing
    if verdict.status.value == "needs_review":
        assert verdict.missing, "a needs_review verdict must name what is missing"
