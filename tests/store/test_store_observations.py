"""Observations: validation, duplicate years, history of every change, no lost update."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.services import indicators, observations, plans


@pytest.fixture
def codes(tree: Session) -> dict[str, str]:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    tree.commit()
    return {row.name: row.code for row in indicators.list_indicators(tree, version.plan_id)}


def _pm25(codes: dict[str, str]) -> str:
    return codes["细颗粒物（PM2.5）年均浓度"]


def test_enter_then_update_keeps_the_previous_value(tree: Session, codes: dict[str, str]) -> None:
    key = {"region_code": "990101", "indicator_code": _pm25(codes), "year": 2021}
    first = observations.save_observation(tree, "alice", value=30.2, source="省站年报", **key)
    assert (first.version, first.unit, first.updated_by) == (1, "µg/m³", "alice")
    second = observations.save_observation(
        tree, "bob", value=29.8, note="复核", expected_version=1, **key
    )
    third = observations.save_observation(tree, "alice", value=29.9, expected_version=2, **key)
    tree.commit()
    assert (
        third.version == 3
        and observations.get_observation(tree, "990101", _pm25(codes), 2021).value == 29.9
    )
    history = observations.observation_history(tree, "990101", _pm25(codes), 2021)
    assert [(h.version, h.value, h.changed_by, h.replaced_by) for h in history] == [
        (1, 30.2, "alice", "bob"),
        (2, 29.8, "bob", "alice"),
    ]
    assert history[0].source == "省站年报" and history[1].note == "复核"
    assert second is third


def test_second_editor_on_a_stale_version_gets_a_conflict(
    tree: Session, codes: dict[str, str]
) -> None:
    key = {"region_code": "990101", "indicator_code": _pm25(codes), "year": 2022}
    observations.save_observation(tree, "alice", value=29.0, **key)
    observations.save_observation(tree, "alice", value=28.7, expected_version=1, **key)
    with pytest.raises(Conflict) as caught:
        observations.save_observation(tree, "bob", value=28.1, expected_version=1, **key)
    assert caught.value.current is not None and caught.value.current["value"] == 28.7
    assert "第 2 版" in caught.value.zh and "version 2" in caught.value.en
    assert observations.get_observation(tree, "990101", _pm25(codes), 2022).value == 28.7


def test_concurrent_sessions_cannot_both_win(engine, tree: Session, codes: dict[str, str]) -> None:
    key = {"region_code": "990101", "indicator_code": _pm25(codes), "year": 2023}
    observations.save_observation(tree, "alice", value=27.5, **key)
    tree.commit()
    with Session(engine) as one, Session(engine) as two:
        seen_one = observations.get_observation(one, "990101", key["indicator_code"], 2023).version
        seen_two = observations.get_observation(two, "990101", key["indicator_code"], 2023).version
        observations.save_observation(one, "alice", value=27.1, expected_version=seen_one, **key)
        one.commit()
        with pytest.raises(Conflict):
            observations.save_observation(two, "bob", value=26.9, expected_version=seen_two, **key)
        two.rollback()
    tree.expire_all()
    assert observations.get_observation(tree, "990101", key["indicator_code"], 2023).value == 27.1


def test_duplicate_year_is_refused(tree: Session, codes: dict[str, str]) -> None:
    key = {"region_code": "990101", "indicator_code": _pm25(codes), "year": 2021}
    observations.save_observation(tree, "alice", value=30.0, **key)
    with pytest.raises(Conflict, match="already has a value"):
        observations.save_observation(tree, "bob", value=31.0, **key)


def test_text_is_read_and_kept(tree: Session, codes: dict[str, str]) -> None:
    key = {"region_code": "990101", "indicator_code": _pm25(codes), "year": 2021}
    stored = observations.save_observation(tree, "alice", text="29.4", **key)
    assert (stored.value, stored.text) == (29.4, "29.4")
    no_data = observations.save_observation(tree, "alice", text="暂无数据", **{**key, "year": 2020})
    assert no_data.value is None and no_data.text == "暂无数据"


@pytest.mark.parametrize(
    ("fields", "problem_field"),
    [
        ({"value": 30.0, "unit": "mg/m³"}, "unit"),
        ({"value": -3.0}, "value"),
        ({"value": 30.0, "text": "31"}, "text"),
        ({"value": 30.0, "text": "暂无数据"}, "text"),
        ({}, "value"),
        ({"value": float("nan")}, "value"),
    ],
)
def test_invalid_values_are_refused_with_the_field(
    tree: Session, codes: dict[str, str], fields: dict, problem_field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        observations.save_observation(
            tree, "alice", region_code="990101", indicator_code=_pm25(codes), year=2021, **fields
        )
    assert problem_field in [problem["field"] for problem in caught.value.problems]
    assert caught.value.where == f"990101/{_pm25(codes)}/2021"


def test_future_year_and_unknown_indicator_are_refused(
    tree: Session, codes: dict[str, str]
) -> None:
    with pytest.raises(ValidationError, match="year 2999"):
        observations.save_observation(
            tree, "a", region_code="990101", indicator_code=_pm25(codes), year=2999, value=1.0
        )
    with pytest.raises(ValidationError, match=r"indicator plan\.nope"):
        observations.save_observation(
            tree, "a", region_code="990101", indicator_code="plan.nope", year=2021, value=1.0
        )


def test_check_flags_a_tenfold_jump_as_an_outlier_without_writing(
    tree: Session, codes: dict[str, str]
) -> None:
    share = codes["空气质量优良天数比例"]
    observations.save_observation(
        tree, "a", region_code="990101", indicator_code=share, year=2021, value=9.0
    )
    check = observations.check_observation(
        tree, region_code="990101", indicator_code=share, year=2022, value=95.0
    )
    assert check.ok and check.outlier is not None and check.outlier.field == "value"
    with pytest.raises(NotFound):
        observations.get_observation(tree, "990101", share, 2022)


def test_delete_keeps_the_last_state_in_history(tree: Session, codes: dict[str, str]) -> None:
    key = {"region_code": "990101", "indicator_code": _pm25(codes), "year": 2021}
    observations.save_observation(tree, "alice", value=30.0, **key)
    with pytest.raises(Conflict):
        observations.delete_observation(tree, "bob", expected_version=7, **key)
    observations.delete_observation(tree, "bob", expected_version=1, **key)
    tree.commit()
    with pytest.raises(NotFound):
        observations.get_observation(tree, "990101", _pm25(codes), 2021)
    [last] = observations.observation_history(tree, "990101", _pm25(codes), 2021)
    assert (last.value, last.replaced_by) == (30.0, "bob")


def test_a_racing_insert_of_the_same_year_is_a_conflict_and_the_session_goes_on(
    engine, tree: Session, codes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pm25, share = _pm25(codes), codes["空气质量优良天数比例"]
    with Session(engine) as first:
        observations.save_observation(
            first, "alice", region_code="990101", indicator_code=pm25, year=2021, value=30.0
        )
        first.commit()
    # the second editor looked before the first one saved: make the lookup miss, as in a race
    monkeypatch.setattr(observations, "_find", lambda *args: None)
    with Session(engine) as second:
        with pytest.raises(Conflict, match="just entered"):
            observations.save_observation(
                second, "bob", region_code="990101", indicator_code=pm25, year=2021, value=31.0
            )
        monkeypatch.undo()
        observations.save_observation(
            second, "bob", region_code="990101", indicator_code=share, year=2021, value=88.0
        )
        second.commit()
    tree.expire_all()
    assert observations.get_observation(tree, "990101", pm25, 2021).value == 30.0
    assert observations.get_observation(tree, "990101", share, 2021).updated_by == "bob"
