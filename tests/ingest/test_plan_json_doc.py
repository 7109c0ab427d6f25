"""docs/plan-json.md and the code must not drift: its example parses to what it shows,
and every field of the plan models is documented."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ecociv.ingest.api import plan_from_document
from ecociv.ingest.tika import parse_tika_text
from ecociv.model import (
    PLAN_SCHEMA_VERSION,
    Cell,
    Column,
    Diagnostic,
    IndicatorRow,
    Plan,
    PlanMetadata,
    PlanTable,
    ProjectRow,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "plan-json.md"


def _blocks() -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def _is_subset(shown: Any, real: Any, path: str = "$") -> None:
    """Everything the abridged example shows is in the real output, with the same value."""
    if isinstance(shown, dict):
        assert isinstance(real, dict), path
        for key, value in shown.items():
            assert key in real, f"{path}.{key} missing"
            _is_subset(value, real[key], f"{path}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list) and len(shown) == len(real), path
        for n, (a, b) in enumerate(zip(shown, real, strict=True)):
            _is_subset(a, b, f"{path}[{n}]")
    else:
        assert shown == real, f"{path}: doc says {shown!r}, code gives {real!r}"


def test_the_documented_example_is_what_the_parser_prints():
    blocks = _blocks()
    tika_block = next(b for b in blocks if b.startswith("表1 示例指标"))
    json_block = next(b for b in blocks if b.lstrip().startswith('{\n  "schema_version"'))
    text = tika_block.replace("→", "\t")
    plan = plan_from_document(parse_tika_text(text, "example.txt"))
    _is_subset(json.loads(json_block), plan.model_dump(mode="json"))


def test_schema_version_is_documented():
    assert f"schema version {PLAN_SCHEMA_VERSION}" in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "model", [Plan, PlanMetadata, PlanTable, Column, IndicatorRow, ProjectRow, Cell, Diagnostic]
)
def test_every_field_is_documented(model):
    doc = DOC.read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in doc]
    assert not missing, f"{model.__name__} fields not in docs/plan-json.md: {missing}"


def test_every_header_role_is_documented():
    from ecociv.ingest.columns import vocabulary

    doc = DOC.read_text(encoding="utf-8")
    rules = vocabulary()
    roles = {role for role, _ in (*rules.indicator, *rules.project)} | {"value", "other"}
    missing = sorted(role for role in roles if f"`{role}`" not in doc)
    assert not missing, f"roles not in docs/plan-json.md: {missing}"
