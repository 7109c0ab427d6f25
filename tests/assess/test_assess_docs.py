"""docs/verdicts.md and the engine must not drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecociv.assess.verdict import REQUIREMENT_CLASSES
from ecociv.model import VerdictStatus

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "verdicts.md").read_text("utf-8")


@pytest.mark.parametrize("node", sorted(t.__name__ for t in REQUIREMENT_CLASSES))
def test_every_requirement_class_is_documented(node: str) -> None:
    assert f"`{node}`" in DOCS


@pytest.mark.parametrize("status", [s.value for s in VerdictStatus])
def test_every_status_is_documented(status: str) -> None:
    assert f"`{status}`" in DOCS
