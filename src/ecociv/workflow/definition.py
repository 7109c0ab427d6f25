"""The shape of a workflow definition file and the checks a definition must pass to be used.

A definition is data (``definitions/<name>.yaml``): states, the transitions between them, the
abstract roles that may take each transition, and deadline rules.  :func:`check` refuses a
definition that could strand a record or let a transition be taken by nobody in particular:
unknown states or roles, unreachable states, a non-terminal state without a way out, a
terminal state with one, a transition without roles.  Every refusal names the file and the item.
"""

from __future__ import annotations

from collections import deque
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Need = Literal["required", "optional", "none"]


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class StateDef(Label):
    terminal: bool = False


class TransitionDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(alias="from", min_length=1)
    to: str
    roles: tuple[str, ...]
    comment: Need = "none"
    evidence: Need = "none"


class DeadlineDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    days: int = Field(gt=0)
    escalate_to: str


class WorkflowDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Label
    source: str = Field(min_length=1)
    roles: dict[str, Label] = Field(min_length=1)
    initial: str
    states: dict[str, StateDef] = Field(min_length=1)
    transitions: tuple[TransitionDef, ...] = Field(min_length=1)
    deadlines: dict[str, DeadlineDef] = Field(default_factory=dict)


def check(definition: WorkflowDef) -> list[tuple[str, str]]:
    """Every defect of *definition* as ``(zh, en)`` messages; empty when it may be used."""
    problems: list[tuple[str, str]] = []
    states = definition.states
    if definition.initial not in states:
        problems.append(
            (
                f"初始状态 {definition.initial} 未定义",
                f"initial state {definition.initial} is not defined",
            )
        )
    names: set[str] = set()
    for move in definition.transitions:
        if move.name in names:
            problems.append(
                (f"流转 {move.name} 重复定义", f"transition {move.name} is defined twice")
            )
        names.add(move.name)
        for state in (*move.sources, move.to):
            if state not in states:
                problems.append(
                    (
                        f"流转 {move.name} 指向未定义的状态 {state}",
                        f"transition {move.name} refers to the undefined state {state}",
                    )
                )
        if not move.roles:
            problems.append(
                (f"流转 {move.name} 没有指定可执行的角色", f"transition {move.name} names no role")
            )
        for role in move.roles:
            if role not in definition.roles:
                problems.append(
                    (
                        f"流转 {move.name} 的角色 {role} 未在 roles 中定义",
                        f"transition {move.name}: role {role} is not declared under roles",
                    )
                )
    for state, rule in definition.deadlines.items():
        if state not in states:
            problems.append(
                (f"时限规则指向未定义的状态 {state}", f"deadline on undefined state {state}")
            )
        if rule.escalate_to not in definition.roles:
            problems.append(
                (
                    f"状态 {state} 的时限规则上报给未定义的角色 {rule.escalate_to}",
                    f"deadline of {state} escalates to the undeclared role {rule.escalate_to}",
                )
            )
    if problems:
        return problems
    exits = {state: [m for m in definition.transitions if state in m.sources] for state in states}
    for state, spec in states.items():
        if spec.terminal and exits[state]:
            problems.append(
                (
                    f"终止状态 {state} 不应再有流转（{exits[state][0].name}）",
                    f"terminal state {state} has an outgoing transition ({exits[state][0].name})",
                )
            )
        if not spec.terminal and not exits[state]:
            problems.append(
                (
                    f"非终止状态 {state} 没有任何流转可以离开",
                    f"non-terminal state {state} has no transition out",
                )
            )
    for state in sorted(set(states) - reachable(definition)):
        problems.append(
            (
                f"状态 {state} 从初始状态不可达",
                f"state {state} cannot be reached from the initial state",
            )
        )
    return problems


def reachable(definition: WorkflowDef) -> set[str]:
    """The states reachable from the initial state, whoever acts."""
    seen = {definition.initial}
    queue = deque([definition.initial])
    while queue:
        state = queue.popleft()
        for move in definition.transitions:
            if state in move.sources and move.to not in seen:
                seen.add(move.to)
                queue.append(move.to)
    return seen
