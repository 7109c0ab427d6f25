"""Entry that never lies (issue 13): a unit that does not convert is refused naming the
indicator's unit, one message per problem in the editor's words, and an outlier against the
indicator's own history needs a confirmation with a reason, stored with the value and audited."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import ValidationError
from ecociv.store.services import audit, indicators, observations, plans

INTERNAL_WORDS = ("Text", "vocab", ".yaml", "Number", "Range", "Comparison", "None")
PLAN_ROWS = [
    ("生态环境", "μg/m³", "细颗粒物（PM2.5）年均浓度", "31", "≤28"),
    ("生态经济", "万元", "节能环保投入", "3000", "≥5000"),
    ("生态制度", None, "生态文明建设工作占党政实绩考核的比例", "20", "≥20"),
]


@pytest.fixture
def codes(tree: Session) -> dict[str, str]:
    version = plans.import_plan(tree, ADMIN, make_plan(indicators=PLAN_ROWS), region_code="990101")
    tree.commit()
    found = {row.name: row.code for row in indicators.list_indicators(tree, version.plan_id)}
    return {"pm25": found[PLAN_ROWS[0][2]], "money": found[PLAN_ROWS[1][2]]}


def _check(tree: Session, code: str, text: str, year: int = 2023):
    return observations.check_observation(
        tree, region_code="990101", indicator_code=code, year=year, text=text
    )


@pytest.mark.parametrize("text", ["26 mg/m3", "26mg/m3", "26 mg/m³", "0.026 毫克/立方米", "26 ppm"])
def test_a_unit_that_does_not_convert_is_refused_naming_the_expected_unit(
    tree: Session, codes: dict[str, str], text: str
) -> None:
    check = _check(tree, codes["pm25"], text)
    assert not check.ok
    assert [p.field for p in check.problems] == ["unit"]
    assert "µg/m³" in check.problems[0].zh and "µg/m³" in check.problems[0].en
    with pytest.raises(ValidationError, match="µg/m³"):
        observations.save_observation(
            tree, ADMIN, region_code="990101", indicator_code=codes["pm25"], year=2023, text=text
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2.5亿元", 25000.0), ("2.5 亿元", 25000.0), ("4800 元", 0.48), ("3000万元", 3000.0)],
)
def test_a_unit_that_converts_is_converted_exactly(
    tree: Session, codes: dict[str, str], text: str, expected: float
) -> None:
    stored = observations.save_observation(
        tree, ADMIN, region_code="990101", indicator_code=codes["money"], year=2023, text=text
    )
    assert (stored.value, stored.unit, stored.text) == (expected, "万元", text)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(min_size=1, max_size=12).filter(lambda t: t.strip() and "\x00" not in t),
        st.sampled_from(
            ["abc", "26 mg/m3", "约30", "28—30", "≤28", "暂无数据", "/", "31.5（初步）"]
        ),
    )
)
def test_one_message_per_problem_without_internal_names(
    tree: Session, codes: dict[str, str], text: str
) -> None:
    for code in codes.values():
        check = _check(tree, code, text)
        messages = [(f.zh, f.en) for f in check.problems + check.warnings]
        assert len(messages) == len(set(messages)), messages
        for zh, en in messages:
            assert not any(word in zh for word in INTERNAL_WORDS if word not in text), zh
            assert not any(word in en for word in INTERNAL_WORDS if word not in text), en


def _history(tree: Session, code: str, values: dict[int, float]) -> None:
    for year, value in values.items():
        observations.save_observation(
            tree, ADMIN, region_code="990101", indicator_code=code, year=year, value=value
        )


def test_an_outlier_needs_a_confirmation_with_a_reason(
    tree: Session, codes: dict[str, str]
) -> None:
    _history(tree, codes["pm25"], {2021: 31.0, 2022: 30.0})
    check = _check(tree, codes["pm25"], "150", year=2023)
    assert check.ok and check.outlier is not None
    assert "2022" in check.outlier.zh and "30" in check.outlier.zh
    key = {"region_code": "990101", "indicator_code": codes["pm25"], "year": 2023}
    with pytest.raises(ValidationError) as caught:
        observations.save_observation(tree, ADMIN, text="150", **key)
    assert [p["field"] for p in caught.value.problems] == ["confirmation"]
    with pytest.raises(ValidationError):
        observations.save_observation(tree, ADMIN, text="150", confirmation="  ", **key)
    stored = observations.save_observation(
        tree, ADMIN, text="150", confirmation="沙尘暴（3月）监测站核实", **key
    )
    assert (stored.value, stored.confirmation) == (150.0, "沙尘暴（3月）监测站核实")
    entry = audit.list_entries(
        tree, entity="observation", key="990101/{}/2023".format(key["indicator_code"])
    )[0]
    assert entry.after is not None and entry.after["confirmation"] == "沙尘暴（3月）监测站核实"


def test_an_ordinary_value_keeps_no_confirmation(tree: Session, codes: dict[str, str]) -> None:
    _history(tree, codes["pm25"], {2021: 31.0, 2022: 30.0})
    stored = observations.save_observation(
        tree,
        ADMIN,
        region_code="990101",
        indicator_code=codes["pm25"],
        year=2023,
        text="28",
        confirmation="不需要",
    )
    assert stored.confirmation is None


def test_the_confirmation_travels_with_an_export(tree: Session, codes: dict[str, str]) -> None:
    from ecociv.store.services import exchange

    _history(tree, codes["pm25"], {2021: 31.0, 2022: 30.0})
    observations.save_observation(
        tree,
        ADMIN,
        region_code="990101",
        indicator_code=codes["pm25"],
        year=2023,
        value=150.0,
        confirmation="沙尘天气",
    )
    exported = exchange.export_region(tree, "990101")
    assert exported["format_version"] == 3
    [row] = [r for r in exported["tables"]["observations"] if r["year"] == 2023]
    assert row["confirmation"] == "沙尘天气"
