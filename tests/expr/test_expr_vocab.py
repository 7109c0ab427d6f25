"""One test per phrase class of vocab.yaml: every listed word is read as its class says."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest
import yaml

from ecociv.expr import (
    Achievement,
    Comparison,
    Milestone,
    NoData,
    NotApplicable,
    Number,
    Protection,
    Qualitative,
    Quota,
    ReferenceComparison,
    Scoped,
    Trend,
    parse,
    parse_value,
)
from ecociv.expr.ast import ChangeFromBase

VOCAB = yaml.safe_load(resources.files("ecociv.expr").joinpath("vocab.yaml").read_text("utf-8"))
UNITS = yaml.safe_load(resources.files("ecociv.expr").joinpath("units.yaml").read_text("utf-8"))


@pytest.mark.parametrize("entry", VOCAB["trend"], ids=lambda e: e["word"])
def test_expr_trend_words(entry: dict) -> None:
    assert parse(entry["word"]).expr == Trend(
        entry["word"], entry["direction"], entry["strictness"]
    )


@pytest.mark.parametrize("entry", VOCAB["milestone"], ids=lambda e: e["word"])
def test_expr_milestone_words(entry: dict) -> None:
    assert parse(entry["word"]).expr == Milestone(entry["kind"], entry.get("state"))
    if entry.get("state") is None:
        assert parse("已" + entry["word"]).expr == Milestone(entry["kind"], "done")
        assert parse("正在" + entry["word"] + "中").expr == Milestone(entry["kind"], "in_progress")


QUOTA_VARIANTS = [
    *VOCAB["quota"]["phrases"],
    "完成上级下达任务",
    "完成上级下达的任务",
    "完成省市下达目标",
    "完成上级下达的年度目标",
    "完成上级规定的考核任务",
    "完成上级规定的目标任务",
    "完成上级管控目标",
    "完成上级下达目标任务",
    "达到上级考核要求",
    "完成省级下达的年度考核目标",
    "完成上级规定的年度能源“双控”目标任务",
]


@pytest.mark.parametrize("phrase", QUOTA_VARIANTS)
def test_expr_quota_phrases(phrase: str) -> None:
    assert parse(phrase).expr == Quota(phrase)
    assert parse_value(phrase).expr == Achievement(True, Quota(phrase))
    assert parse_value("未" + phrase).expr == Achievement(False, Quota(phrase))


PROTECTION = [(s, v) for s in VOCAB["protection"]["subjects"] for v in VOCAB["protection"]["verbs"]]


@pytest.mark.parametrize(("subject", "verb"), PROTECTION)
def test_expr_protection_clauses(subject: str, verb: str) -> None:
    assert parse(subject + verb).expr == Protection(((subject, verb),))
    both = parse(f"{subject}{verb}，{subject}{verb}").expr
    assert both == Protection(((subject, verb), (subject, verb)))


@pytest.mark.parametrize("word", VOCAB["not_applicable"]["phrases"])
def test_expr_not_applicable_words(word: str) -> None:
    assert parse(word).expr == NotApplicable(word.replace("／", "/"))


@pytest.mark.parametrize("word", VOCAB["no_data"]["phrases"])
def test_expr_no_data_words(word: str) -> None:
    assert parse(word).expr == NoData(word)


@pytest.mark.parametrize("word", VOCAB["qualitative"]["phrases"])
def test_expr_qualitative_words(word: str) -> None:
    assert parse(word).expr == Qualitative(word)


@pytest.mark.parametrize("entry", VOCAB["comparison_prefix"], ids=lambda e: e["word"])
def test_expr_comparison_prefix_words(entry: dict) -> None:
    word = entry["word"]
    assert parse(f"{word}90").expr == Comparison(entry["op"], Decimal("90"), None, word)


@pytest.mark.parametrize("entry", VOCAB["comparison_suffix"], ids=lambda e: e["word"])
def test_expr_comparison_suffix_words(entry: dict) -> None:
    word = entry["word"]
    assert parse(f"90%{word}").expr == Comparison(entry["op"], Decimal("90"), "%", word)


@pytest.mark.parametrize("entry", VOCAB["reference"], ids=lambda e: e["word"])
def test_expr_reference_words(entry: dict) -> None:
    expr = parse("高于" + entry["word"]).expr
    assert expr == ReferenceComparison(">", entry["reference"], "level", "高于")


@pytest.mark.parametrize("entry", VOCAB["measure"], ids=lambda e: e["word"])
def test_expr_measure_words(entry: dict) -> None:
    expr = parse(entry["word"] + "高于全省平均值").expr
    assert expr == ReferenceComparison(">", "全省平均值", entry["measure"], "高于")


@pytest.mark.parametrize("entry", VOCAB["change"], ids=lambda e: e["word"])
def test_expr_change_words(entry: dict) -> None:
    expr = parse(f"较2020年{entry['word']}16%").expr
    assert expr == ChangeFromBase(entry["direction"], Decimal("16"), "%", None, 2020)


@pytest.mark.parametrize("entry", VOCAB["scope"], ids=lambda e: e["word"])
def test_expr_scope_words(entry: dict) -> None:
    expr = parse(f"{entry['word']}≥95").expr
    assert expr == Scoped(((entry["scope"], Comparison(">=", Decimal("95"), None, "≥")),))


@pytest.mark.parametrize("word", VOCAB["achievement"]["phrases"])
def test_expr_achievement_words(word: str) -> None:
    assert parse_value(word).expr == Achievement(True)
    assert parse_value("未" + word.removeprefix("已")).expr == Achievement(False)


UNIT_VARIANTS = [
    (variant, entry["canonical"], Decimal(1))
    for entry in UNITS["units"]
    for variant in entry["variants"]
] + [
    (variant, entry["canonical"], Decimal(str(factor)))
    for entry in UNITS["units"]
    for variant, factor in (entry.get("factor_variants") or {}).items()
]


@pytest.mark.parametrize(("variant", "canonical", "factor"), UNIT_VARIANTS)
def test_expr_units_normalised(variant: str, canonical: str, factor: Decimal) -> None:
    assert parse(f"12.5{variant}").expr == Number(Decimal("12.5") * factor, canonical)


def test_expr_full_width_forms_are_folded() -> None:
    assert parse("≥９０％").expr == parse("≥90%").expr
    assert parse("县（区）≥85").expr == parse("县(区)≥85").expr


def test_expr_syntax_words() -> None:
    for word in VOCAB["syntax"]["OR"]:
        assert parse(f"≥90{word}持续提高").expr == parse("≥90或持续提高").expr
    for word in VOCAB["syntax"]["AND"]:
        assert parse(f"持续提高{word}高于全省平均值").expr == parse("持续提高且高于全省平均值").expr


def test_expr_every_milestone_kind_and_scope_has_english() -> None:
    english = VOCAB["english"]
    kinds = {e["kind"] for e in VOCAB["milestone"]}
    scopes = {e["scope"] for e in VOCAB["scope"]}
    assert not (kinds | scopes) - set(english)
