"""Hypothesis properties of the cell language: parse never raises; parse∘render∘parse == parse
(and the same for parse_value);
the JSON form round-trips; every expression explains itself in both languages."""

from __future__ import annotations

import json
from importlib import resources

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecociv.expr import explain, from_json, parse, parse_value, render, to_json

_VOCAB = yaml.safe_load(resources.files("ecociv.expr").joinpath("vocab.yaml").read_text("utf-8"))


def _words() -> list[str]:
    words: set[str] = set()
    for value in _VOCAB.values():
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "patterns":
                    continue
                if isinstance(inner, list):
                    words.update(w for w in inner if isinstance(w, str))
                elif isinstance(inner, dict):
                    words.update(w for w in inner if isinstance(w, str))
        elif isinstance(value, list):
            words.update(e["word"] for e in value if isinstance(e, dict) and "word" in e)
    for group in _VOCAB["syntax"].values():
        words.update(group)
    return sorted(words)


PIECES = st.one_of(
    st.sampled_from(_words()),
    st.sampled_from(["①", "②", "③", "1 ", "2 ", "[", "]", "【", "】", "（", "）", "“", "”"]),
    st.sampled_from(
        ["%", "％", "μg/m3", "平方米/\n人", "万元", "亿元", "年", "2020年", "2021-2023年"]
    ),
    st.sampled_from(["\n", " ", "，", "；", "、", "：", "。", "或", "且"]),
    st.decimals(min_value=0, max_value=100000, allow_nan=False, places=2).map(str),
    st.integers(min_value=0, max_value=3000).map(str),
    st.text(alphabet="水质优良率黑臭体城区街道镇规划相关工作ⅢⅤ劣类无", min_size=1, max_size=4),
)
CELL_LIKE = st.lists(PIECES, min_size=1, max_size=8).map("".join)
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="市县≥≤或且；，①②持续提高完成上级下达0123456789.%\n ", max_size=30),
)
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(ANY_TEXT)
def test_expr_parse_never_raises_on_any_text(text: str) -> None:
    assert parse(text).expr is not None
    assert parse_value(text).expr is not None


@PROFILE
@given(st.one_of(CELL_LIKE, ANY_TEXT))
def test_expr_parse_render_parse_is_parse(text: str) -> None:
    expr = parse(text).expr
    assert parse(render(expr)).expr == expr


@PROFILE
@given(st.one_of(CELL_LIKE, ANY_TEXT))
def test_expr_parse_value_render_round_trips(text: str) -> None:
    expr = parse_value(text).expr
    assert parse_value(render(expr)).expr == expr


@PROFILE
@given(CELL_LIKE)
def test_expr_json_round_trips(text: str) -> None:
    for expr in (parse(text).expr, parse_value(text).expr):
        data = json.loads(json.dumps(to_json(expr), ensure_ascii=False))
        assert from_json(data) == expr


@PROFILE
@given(CELL_LIKE)
def test_expr_explains_itself(text: str) -> None:
    expr = parse_value(text).expr
    assert explain(expr, "zh")
    assert explain(expr, "en")
