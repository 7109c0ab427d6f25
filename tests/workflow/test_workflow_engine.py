"""The workflow engine: definitions checked at load, transitions authorised, inputs required."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecociv.workflow import (
    MissingInput,
    NotAvailable,
    NotPermitted,
    WorkflowDefinitionError,
    load_file,
    parse,
)

LOOP = textwrap.dedent(
    """
    name: rectify
    title: {zh: 问题整改, en: Rectification}
    source: test
    roles:
      assigner: {zh: 交办单位, en: assigning office}
      unit: {zh: 责任单位, en: responsible unit}
    initial: found
    states:
      found: {zh: 发现, en: found}
      assigned: {zh: 已交办, en: assigned}
      claimed: {zh: 申请销号, en: closure requested}
      closed: {zh: 已销号, en: closed, terminal: true}
    transitions:
      - {name: assign, zh: 交办, en: assign, from: [found], to: assigned, roles: [assigner]}
      - {name: claim, zh: 申请销号, en: request closure, from: [assigned], to: claimed,
         roles: [unit], evidence: required}
      - {name: reject, zh: 退回, en: return, from: [claimed], to: assigned, roles: [assigner],
         comment: required}
      - {name: close, zh: 销号, en: close, from: [claimed], to: closed, roles: [assigner]}
    deadlines:
      assigned: {days: 30, escalate_to: assigner}
    """
)


def test_the_loop_runs_with_its_roles_comment_and_evidence() -> None:
    flow = parse(LOOP, "loop.yaml")
    assert [m.name for m in flow.available("found", {"assigner"})] == ["assign"]
    assert flow.available("found", {"unit"}) == []
    state = flow.fire("found", "assign", {"assigner"})
    assert state == "assigned"
    with pytest.raises(MissingInput) as no_evidence:
        flow.fire(state, "claim", {"unit"})
    assert no_evidence.value.zh == "“申请销号”须附佐证材料"
    state = flow.fire(state, "claim", {"unit"}, has_evidence=True)
    with pytest.raises(MissingInput) as no_comment:
        flow.fire(state, "reject", {"assigner"}, comment="  ")
    assert no_comment.value.en == "'return' needs a comment"
    assert flow.fire(state, "reject", {"assigner"}, comment="照片不清楚") == "assigned"
    assert flow.fire(state, "close", {"assigner"}) == "closed"
    assert flow.is_terminal("closed")


def test_refusals_say_who_may_and_from_where() -> None:
    flow = parse(LOOP, "loop.yaml")
    with pytest.raises(NotPermitted) as refused:
        flow.fire("found", "assign", {"unit"})
    assert refused.value.zh == "“交办”只能由交办单位执行"
    with pytest.raises(NotAvailable) as wrong_state:
        flow.fire("closed", "assign", {"assigner"})
    assert wrong_state.value.zh == "当前状态为“已销号”，不能执行“交办”"
    with pytest.raises(NotAvailable):
        flow.fire("found", "no_such_step", {"assigner"})


def test_deadline_rule() -> None:
    flow = parse(LOOP, "loop.yaml")
    entered = datetime(2026, 1, 1, tzinfo=UTC)
    assert flow.due("assigned", entered) == datetime(2026, 1, 31, tzinfo=UTC)
    assert flow.due("found", entered) is None
    assert flow.escalate_to("assigned") == "assigner"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("to: closed, roles: [assigner]}", "to: archived, roles: [assigner]}"),
            "未定义的状态 archived",
        ),
        (("roles: [unit], evidence", "roles: [], evidence"), "没有指定可执行的角色"),
        (("roles: [unit], evidence", "roles: [mayor], evidence"), "角色 mayor 未在 roles 中定义"),
        (
            (
                "closed: {zh: 已销号, en: closed, terminal: true}",
                "closed: {zh: 已销号, en: closed}",
            ),
            "非终止状态 closed 没有任何流转可以离开",
        ),
        (("initial: found", "initial: assigned"), "状态 found 从初始状态不可达"),
        (("escalate_to: assigner", "escalate_to: nobody"), "上报给未定义的角色 nobody"),
        (("name: close,", "name: assign,"), "流转 assign 重复定义"),
    ],
)
def test_a_broken_definition_is_refused_with_the_item_named(
    edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in LOOP
    with pytest.raises(WorkflowDefinitionError) as refused:
        parse(LOOP.replace(old, new, 1), "mine.yaml")
    assert message in refused.value.zh
    assert refused.value.where == "mine.yaml"


def test_an_unreachable_state_is_refused() -> None:
    text = LOOP.replace(
        "  closed: {zh: 已销号, en: closed, terminal: true}",
        "  closed: {zh: 已销号, en: closed, terminal: true}\n  lost: {zh: 遗失, en: lost, terminal: true}",
    )
    with pytest.raises(WorkflowDefinitionError, match="state lost cannot be reached"):
        parse(text, "mine.yaml")


def test_schema_and_yaml_errors_name_the_field(tmp_path) -> None:
    with pytest.raises(WorkflowDefinitionError, match="initial"):
        parse(LOOP.replace("initial: found\n", ""), "mine.yaml")
    with pytest.raises(WorkflowDefinitionError, match="YAML"):
        parse("name: [unclosed", "mine.yaml")
    missing = tmp_path / "nope.yaml"
    with pytest.raises(WorkflowDefinitionError) as refused:
        load_file(missing)
    assert refused.value.where == str(missing)


@given(st.lists(st.sampled_from(["assigner", "unit", "mayor"]), max_size=3), st.data())
def test_no_step_is_taken_without_one_of_its_roles(roles: list[str], data: st.DataObject) -> None:
    flow = parse(LOOP, "loop.yaml")
    state = data.draw(st.sampled_from(list(flow.definition.states)))
    for move in flow.definition.transitions:
        allowed = move in flow.available(state, roles)
        try:
            flow.fire(state, move.name, roles, comment="意见", has_evidence=True)
        except (NotPermitted, NotAvailable):
            assert not allowed
        else:
            assert allowed
