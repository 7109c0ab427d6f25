"""The areas' workflow definitions (project lifecycle, problem rectification, task
assignment) through the foundation's validator and engine: no step is taken without one of
its roles, every terminal state is reachable by permitted steps, and a damaged copy of each
(an unreachable state, a dangling transition) is refused naming the item."""

from __future__ import annotations

from collections import deque

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.workflow import (
    MissingInput,
    NotAvailable,
    NotPermitted,
    WorkflowDefinitionError,
    load,
    names,
    parse,
)

AREA_DEFINITIONS = ("project_lifecycle", "problem_rectification", "task_assignment")


def test_the_area_definitions_are_shipped_and_load() -> None:
    assert set(AREA_DEFINITIONS) <= set(names())
    for name in AREA_DEFINITIONS:
        assert load(name).definition.source


@pytest.mark.parametrize("name", AREA_DEFINITIONS)
def test_every_terminal_state_is_reached_by_permitted_steps(name: str) -> None:
    """Breadth-first over what :meth:`Workflow.fire` allows, each step taken by one role
    that the step names (never by all roles at once)."""
    flow = load(name)
    seen, queue = {flow.initial}, deque([flow.initial])
    while queue:
        state = queue.popleft()
        for move in flow.definition.transitions:
            if state not in move.sources:
                continue
            new = flow.fire(state, move.name, {move.roles[0]}, comment="意见", has_evidence=True)
            if new not in seen:
                seen.add(new)
                queue.append(new)
    terminal = {s for s, spec in flow.definition.states.items() if spec.terminal}
    assert terminal and terminal <= seen
    assert seen == set(flow.definition.states)


@pytest.mark.parametrize("name", AREA_DEFINITIONS)
@settings(max_examples=60)
@given(data=st.data())
def test_no_step_is_reachable_without_its_permission(name: str, data: st.DataObject) -> None:
    """A random walk of permitted steps; at every state reached, every step is tried with a
    random set of roles: it is taken exactly when one of the roles may take it from here."""
    flow = load(name)
    roles = [*sorted(flow.definition.roles), "viewer", "mayor"]
    state = flow.initial
    for _ in range(data.draw(st.integers(0, 12))):
        for move in flow.definition.transitions:
            held = set(data.draw(st.lists(st.sampled_from(roles), max_size=3)))
            permitted = state in move.sources and bool(held & set(move.roles))
            try:
                flow.fire(state, move.name, held, comment="意见", has_evidence=True)
            except (NotPermitted, NotAvailable):
                assert not permitted
            else:
                assert permitted
        moves = flow.available(state, set(flow.definition.roles))
        if not moves:
            assert flow.is_terminal(state)
            break
        move = data.draw(st.sampled_from(moves))
        state = flow.fire(state, move.name, set(move.roles), comment="意见", has_evidence=True)


@pytest.mark.parametrize("name", AREA_DEFINITIONS)
def test_required_comment_and_evidence_are_enforced(name: str) -> None:
    flow = load(name)
    for move in flow.definition.transitions:
        state = move.sources[0]
        if move.comment == "required":
            with pytest.raises(MissingInput):
                flow.fire(state, move.name, set(move.roles), comment="  ", has_evidence=True)
        if move.evidence == "required":
            with pytest.raises(MissingInput):
                flow.fire(state, move.name, set(move.roles), comment="意见", has_evidence=False)


def _raw(name: str) -> dict:
    return yaml.safe_load(
        open(load(name).path.replace("definitions/", _folder()), encoding="utf-8")
    )


def _folder() -> str:
    from importlib import resources

    return str(resources.files("ecociv.workflow") / "definitions") + "/"


@pytest.mark.parametrize("name", AREA_DEFINITIONS)
@given(data=st.data())
def test_a_state_cut_off_is_refused_by_name(name: str, data: st.DataObject) -> None:
    raw = _raw(name)
    state = data.draw(st.sampled_from([s for s in raw["states"] if s != raw["initial"]]))
    raw["transitions"] = [t for t in raw["transitions"] if t["to"] != state]
    with pytest.raises(WorkflowDefinitionError) as refused:
        parse(yaml.safe_dump(raw, allow_unicode=True), f"{name}-cut.yaml")
    assert state in refused.value.en and refused.value.where == f"{name}-cut.yaml"


@pytest.mark.parametrize("name", AREA_DEFINITIONS)
@given(data=st.data())
def test_a_dangling_transition_is_refused_by_name(name: str, data: st.DataObject) -> None:
    raw = _raw(name)
    index = data.draw(st.integers(0, len(raw["transitions"]) - 1))
    end = data.draw(st.sampled_from(["from", "to"]))
    raw["transitions"][index][end] = ["nowhere"] if end == "from" else "nowhere"
    with pytest.raises(WorkflowDefinitionError) as refused:
        parse(yaml.safe_dump(raw, allow_unicode=True), f"{name}-dangling.yaml")
    assert "nowhere" in refused.value.en and raw["transitions"][index]["name"] in refused.value.en
