"""Diagnostics point at the position in display columns; footnote marks; the JSON codec's
errors; value-cell readings that the audit relies on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecociv.errors import InputError
from ecociv.expr import (
    Annotated,
    Number,
    Statement,
    Text,
    from_json,
    parse,
    parse_value,
    split_footnote,
)
from ecociv.expr.normalize import display_position


def test_expr_display_columns_count_cjk_as_two() -> None:
    assert display_position("持续提高90", 4) == (1, 9)
    assert display_position("ab\n市≥95", 4) == (2, 3)


def test_expr_caret_lands_under_the_unreadable_part() -> None:
    text = "持续提高90"
    result = parse(text)
    assert isinstance(result.expr, Text) and result.expr.raw == text
    (diag,) = result.diagnostics
    assert diag.caret(text) == "持续提高90\n        ^^"


def test_expr_diagnostic_as_model_names_the_position() -> None:
    diag = parse("≥≥90").diagnostics[0].to_model("≥≥90", table=3, row=7, column="target_2025")
    assert diag.message_zh.startswith("第1行第2列")
    assert diag.message_en.startswith("line 1, column 2")
    assert (diag.table, diag.row, diag.column, diag.text) == (3, 7, "target_2025", "≥≥90")


def test_expr_partly_unreadable_cell_is_kept_whole() -> None:
    text = "①≥90\n②持续提高90"
    result = parse(text)
    assert result.expr == Text(text, result.expr.reason)  # type: ignore[union-attr]
    assert [(d.line, d.column) for d in result.diagnostics] == [(2, 10)]


def test_expr_footnote_mark_is_split_and_flagged() -> None:
    split = split_footnote("8.481", ("1",))
    assert split is not None and (split.value, split.unsplit) == (Decimal("8.48"), Decimal("8.481"))
    result = parse_value("8.481", footnote_marks=("1",))
    assert result.expr == Annotated(Number(Decimal("8.48")), "注1")
    assert result.diagnostics[0].code == "expr.footnote_mark"
    assert "8.481" in result.diagnostics[0].message_zh
    assert split_footnote("100", ("1",)) is None  # an integer keeps its digits
    assert parse_value("8.481").expr == Number(Decimal("8.481"))  # no note, no split


def test_expr_lone_leading_item_number_is_flagged() -> None:
    result = parse_value("2 298.95")
    assert result.ok
    assert "expr.digit_label" in {d.code for d in result.diagnostics}


def test_expr_stated_verdict_in_a_baseline_cell() -> None:
    expr = parse_value("①79.5%，未完成上级规定的考核任务；").expr
    ((label, statement),) = expr.items  # type: ignore[union-attr]
    assert label == "①" and isinstance(statement, Statement)
    assert statement.actual == Number(Decimal("79.5"), "%")
    assert statement.verdict is not None and statement.verdict.met is False


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Nope"},
        {"type": "Number"},
        {"type": "Number", "value": "x"},
        [1],
        {"type": "Number", "value": "1", "bad": 1},
    ],
)
def test_expr_from_json_rejects_bad_input_bilingually(data: object) -> None:
    with pytest.raises(InputError) as info:
        from_json(data)
    assert "表达式" in info.value.message("zh") and "expression" in info.value.message("en")
