"""Performance evaluation (绩效评价): the indicator set as data, checked at load; scoring
with 不适用 redistribution; grade bands; the service authorised, audited and versioned."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from project_builders import ADMIN
from sqlalchemy.orm import Session

from ecociv.projects import performance, records
from ecociv.projects.indicator_set import indicator_set, parse
from ecociv.projects.performance import EvaluationInput, Score, score
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.services import audit, users

SET = indicator_set()
POINTS = {code: i.points for code, i in SET.indicators.items()}


def _full(fraction: float = 1.0) -> dict[str, Score]:
    return {code: Score(points * fraction, "依据充分") for code, points in POINTS.items()}


def _raw() -> dict:
    from importlib import resources

    text = resources.files("ecociv.projects").joinpath("data/performance.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_the_shipped_set_has_four_dimensions_summing_to_100() -> None:
    assert [d.zh for d in SET.dimensions] == ["投入", "过程", "产出", "效益"]
    assert sum(d.weight for d in SET.dimensions) == 100
    assert [(g.zh, g.min) for g in SET.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert "财预〔2020〕10号" in SET.source


def test_literal_scores() -> None:
    assert score(SET, _full()).total == 100 and score(SET, _full()).grade.zh == "优"
    given_ = _full()
    given_["input_funds"] = Score(4, "到位率 50%")  # 8 points → 4: total 96
    given_["output_timeliness"] = Score(4, "延期三个季度")  # 10 → 4: total 90
    result = score(SET, given_)
    assert (result.total, result.grade.zh) == (90, "优")
    given_["outcome_social"] = Score(9.9, "")  # 10 → 9.9: 89.9
    assert (score(SET, given_).total, score(SET, given_).grade.zh) == (89.9, "良")
    assert score(SET, _full(0.6)).grade.zh == "中"
    assert score(SET, _full(0.59)).grade.zh == "差"


def test_not_applicable_redistributes_the_points() -> None:
    given_ = _full()
    given_["outcome_satisfaction"] = Score(None, "未开展满意度调查")  # 5 points out
    given_["output_quality"] = Score(5, "")  # 10 → 5: 90 of 95 applicable
    result = score(SET, given_)
    assert result.total == round(90 * 100 / 95, 2) == 94.74
    assert result.scores["outcome_satisfaction"] == {"score": None, "comment": "未开展满意度调查"}


def test_bad_scores_are_refused_with_the_item_named() -> None:
    given_ = _full()
    given_["input_funds"] = Score(8.5, "")
    given_["process_dispatch"] = Score(None, "")
    del given_["output_quality"]
    given_["made_up"] = Score(1, "")
    with pytest.raises(ValidationError) as caught:
        score(SET, given_)
    fields = {p["field"] for p in caught.value.problems}
    assert fields == {"input_funds", "process_dispatch", "output_quality", "made_up"}
    with pytest.raises(ValidationError, match="no indicator applies"):
        score(SET, {code: Score(None, "无") for code in POINTS})
    with pytest.raises(ValidationError, match="input_funds"):
        score(SET, {**_full(), "input_funds": Score(-1, "")})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: (
                d["dimensions"][0].update(weight=25),
                d["dimensions"][0]["indicators"][2].update(points=13),
            ),
            "weights sum to 105",
        ),
        (
            lambda d: d["dimensions"][1]["indicators"][0].update(points=9),
            "dimensions/process.*points sum to 21",
        ),
        (
            lambda d: d["dimensions"][2]["indicators"][1].update(code="output_quantity"),
            "duplicate code output_quantity",
        ),
        (lambda d: d["dimensions"][3].update(code="input"), "duplicate code input"),
        (lambda d: d["grades"][1].update(min=95), "grade good"),
        (lambda d: d["grades"].pop(), "end with min 0"),
        (lambda d: d["dimensions"][0]["indicators"][0].pop("guide"), "input_decision has no guide"),
        (lambda d: d["dimensions"][0]["indicators"][0].update(points="六"), "points"),
    ],
)
def test_bad_sets_are_refused(change, message) -> None:
    data = copy.deepcopy(_raw())
    change(data)
    with pytest.raises(ValidationError, match=message):
        parse(data)


@given(st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=len(POINTS), max_size=len(POINTS)))
def test_total_is_the_weighted_sum_over_applicable_points(fractions) -> None:
    given_ = {
        code: Score(None if f is None else f * points, "不适用" if f is None else "")
        for (code, points), f in zip(POINTS.items(), fractions, strict=True)
    }
    applicable = sum(
        p for (c, p), f in zip(POINTS.items(), fractions, strict=True) if f is not None
    )
    if applicable == 0:
        with pytest.raises(ValidationError):
            score(SET, given_)
        return
    scored = sum(f * p for p, f in zip(POINTS.values(), fractions, strict=True) if f is not None)
    result = score(SET, given_)
    assert result.total == pytest.approx(scored * 100 / applicable, abs=0.005)
    assert 0 <= result.total <= 100


@given(st.floats(0, 100))
def test_grade_bands(total) -> None:
    grade = SET.grade(total).zh
    expected = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    assert grade == expected


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100, "优"),
        (90, "优"),
        (89.99, "良"),
        (80, "良"),
        (79.99, "中"),
        (60, "中"),
        (59.99, "差"),
        (0, "差"),
    ],
)
def test_grade_boundaries(total, grade) -> None:
    assert SET.grade(total).zh == grade


def _user(session: Session, region: str, name: str):
    return users.create_user(
        session, ADMIN, name=name, role="editor", region_code=region, password="pw-123456789"
    )


def _entry(year: int = 2025, **changes) -> EvaluationInput:
    return EvaluationInput(
        year=year,
        evaluator="市财政局绩效评价组",
        evaluated_on=date(2026, 3, 1),
        scores={**_full(), **changes},
        comment="总体完成年度目标",
    )


def test_evaluation_is_stored_versioned_audited_and_authorised(library) -> None:
    session, plan_id = library
    district, city = _user(session, "990101", "xixi"), _user(session, "9901", "qinglan")
    record = records.list_records(session, plan_id=plan_id)[0]
    with pytest.raises(Forbidden, match="approver"):
        performance.create_evaluation(session, district, record.id, _entry())
    row = performance.create_evaluation(
        session, city, record.id, _entry(input_funds=Score(4, "到位率 50%"))
    )
    session.commit()
    assert (row.total, row.grade, row.version, row.indicator_set_version) == (
        96,
        "excellent",
        1,
        "2026-1",
    )
    with pytest.raises(Conflict, match="already has an evaluation"):
        performance.create_evaluation(session, city, record.id, _entry())
    session.rollback()
    updated = performance.update_evaluation(
        session,
        city,
        record.id,
        _entry(output_quality=Score(0, "未通过验收"), outcome_ecological=Score(5, "")),
        expected_version=1,
    )
    session.commit()
    assert (updated.total, updated.grade, updated.version) == (80, "good", 2)
    with pytest.raises(Conflict, match="version 2"):
        performance.update_evaluation(session, city, record.id, _entry(), expected_version=1)
    with pytest.raises(ValidationError, match="output_quality"):
        performance.update_evaluation(
            session, city, record.id, _entry(output_quality=Score(11, "")), expected_version=2
        )
    assert [e.year for e in performance.list_evaluations(session, record.id)] == [2025]
    entries = audit.list_entries(session, entity="project_evaluation")
    assert [e.action for e in entries] == ["update", "create"]
    assert entries[0].before["total"] == 96 and entries[0].after["total"] == 80
