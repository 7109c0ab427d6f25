"""A checked workflow definition, run by the ``transitions`` library.

:class:`Workflow` answers which transitions an actor may take from a state and takes one.
The state itself is the caller's (a column of its record): a fire builds a ``transitions``
machine around a throw-away model in that state, so one :class:`Workflow` serves every
request thread at once without shared mutable state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from transitions import Machine

from ecociv.workflow.definition import TransitionDef, WorkflowDef
from ecociv.workflow.errors import MissingInput, NotAvailable, NotPermitted


@dataclass
class _Record:
    state: str


@dataclass(frozen=True)
class Workflow:
    definition: WorkflowDef
    path: str

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def initial(self) -> str:
        return self.definition.initial

    def state_label(self, state: str, lang: str = "zh") -> str:
        spec = self.definition.states.get(state)
        if spec is None:
            return state
        return spec.zh if lang == "zh" else spec.en

    def transition(self, name: str) -> TransitionDef:
        for move in self.definition.transitions:
            if move.name == name:
                return move
        raise NotAvailable(
            f"流程“{self.definition.title.zh}”没有“{name}”这一步",
            f"workflow '{self.definition.title.en}' has no step '{name}'",
        )

    def is_terminal(self, state: str) -> bool:
        spec = self.definition.states.get(state)
        return spec is not None and spec.terminal

    def available(self, state: str, roles: Iterable[str]) -> list[TransitionDef]:
        """The transitions leaving *state* that one of *roles* may take, in definition order."""
        held = set(roles)
        return [
            move
            for move in self.definition.transitions
            if state in move.sources and held.intersection(move.roles)
        ]

    def fire(
        self,
        state: str,
        name: str,
        roles: Iterable[str],
        *,
        comment: str | None = None,
        has_evidence: bool = False,
    ) -> str:
        """Take transition *name* from *state* as an actor holding *roles*; the new state."""
        move = self.transition(name)
        if state not in move.sources:
            raise NotAvailable(
                f"当前状态为“{self.state_label(state)}”，不能执行“{move.zh}”",
                f"the record is '{self.state_label(state, 'en')}'; '{move.en}' is not possible",
            )
        if not set(roles).intersection(move.roles):
            allowed_zh = "、".join(self.definition.roles[r].zh for r in move.roles)
            allowed_en = ", ".join(self.definition.roles[r].en for r in move.roles)
            raise NotPermitted(
                f"“{move.zh}”只能由{allowed_zh}执行",
                f"'{move.en}' may only be taken by: {allowed_en}",
            )
        if move.comment == "required" and not (comment or "").strip():
            raise MissingInput(f"“{move.zh}”须填写意见", f"'{move.en}' needs a comment")
        if move.evidence == "required" and not has_evidence:
            raise MissingInput(f"“{move.zh}”须附佐证材料", f"'{move.en}' needs evidence attached")
        record = _Record(state)
        Machine(
            model=record,
            states=list(self.definition.states),
            transitions=[{"trigger": move.name, "source": list(move.sources), "dest": move.to}],
            initial=state,
            auto_transitions=False,
        )
        getattr(record, move.name)()
        return record.state

    def due(self, state: str, entered_at: datetime) -> datetime | None:
        """When a record that entered *state* at *entered_at* becomes overdue (None: no rule)."""
        rule = self.definition.deadlines.get(state)
        return entered_at + timedelta(days=rule.days) if rule else None

    def escalate_to(self, state: str) -> str | None:
        rule = self.definition.deadlines.get(state)
        return rule.escalate_to if rule else None
