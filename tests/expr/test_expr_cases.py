"""The corpus of cases (tests/expr/cases.yaml): text → AST, text → error position."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecociv.expr import Text, from_json, parse, parse_value, render

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text("utf-8"))["cases"]
AST_CASES = [c for c in CASES if "ast" in c]
ERROR_CASES = [c for c in CASES if "error" in c]


def _id(case: dict) -> str:
    return case["text"].replace("\n", "⏎") or "<empty>"


@pytest.mark.parametrize("case", AST_CASES, ids=_id)
def test_expr_case_ast(case: dict) -> None:
    reader = parse_value if case.get("value") else parse
    result = reader(case["text"])
    assert result.expr == from_json(case["ast"])
    assert result.ok


@pytest.mark.parametrize("case", AST_CASES, ids=_id)
def test_expr_case_renders_back(case: dict) -> None:
    reader = parse_value if case.get("value") else parse
    expr = reader(case["text"]).expr
    assert reader(render(expr)).expr == expr


@pytest.mark.parametrize("case", ERROR_CASES, ids=_id)
def test_expr_case_error(case: dict) -> None:
    result = parse(case["text"])
    assert isinstance(result.expr, Text)
    assert result.expr.raw == case["text"].strip() or case["error"]["code"] == "expr.empty"
    expected = case["error"]
    found = [(d.code, d.line, d.column) for d in result.diagnostics]
    assert (expected["code"], expected["line"], expected["column"]) in found


def test_expr_corpus_covers_every_node_type() -> None:
    from ecociv.expr import NODE_TYPES

    seen: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            seen.add(node.get("type", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for case in AST_CASES:
        walk(case["ast"])
    seen.add("Text")  # the error cases
    assert {cls.__name__ for cls in NODE_TYPES} <= seen
