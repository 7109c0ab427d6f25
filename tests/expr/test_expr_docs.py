"""docs/expr.md and the code must not drift: every node type and every trend strictness
is documented."""

from __future__ import annotations

from pathlib import Path

from ecociv.expr import NODE_TYPES
from ecociv.expr.vocab import vocabulary

DOC = (Path(__file__).resolve().parents[2] / "docs" / "expr.md").read_text("utf-8")


def test_expr_docs_list_every_node_type() -> None:
    missing = [cls.__name__ for cls in NODE_TYPES if f"| `{cls.__name__}` |" not in DOC]
    assert not missing


def test_expr_docs_explain_every_strictness() -> None:
    strictness = {s for _d, s in vocabulary().trends.values()}
    assert all(f"| `{s}` |" in DOC for s in strictness)
