"""Overdue problems (逾期督办): a problem not closed by its 完成时限 is escalated once per
deadline — an event on the problem and a notification to its units, the office that assigned
it, and the level above (editors of a higher region, administrators)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.notify import notify
from ecociv.problems.records import WORKFLOW
from ecociv.problems.roles import assigner_users, unit_users
from ecociv.store.services import audit
from ecociv.store.services.unit_roles import supervisors
from ecociv.store.tables.problems import Problem, ProblemEvent
from ecociv.workflow import load

ACTOR = "ecociv-jobs"


def overdue(session: Session, now: datetime) -> list[Problem]:
    """Problems not in a terminal state whose deadline passed before *now*'s day."""
    flow = load(WORKFLOW)
    found = session.scalars(
        select(Problem).where(Problem.deadline < now.date()).order_by(Problem.id)
    )
    return [p for p in found if not flow.is_terminal(p.state)]


def escalate_overdue(session: Session, now: datetime) -> list[Problem]:
    """Escalate every overdue problem not yet escalated for its current deadline."""
    escalated = []
    for problem in overdue(session, now):
        if problem.escalated_at is not None and problem.escalated_at.date() > problem.deadline:
            continue
        days = (now.date() - problem.deadline).days
        problem.escalated_at = now
        problem.events.append(
            ProblemEvent(
                action="escalate",
                from_state=problem.state,
                to_state=problem.state,
                actor=ACTOR,
                at=now,
                details={"deadline": problem.deadline.isoformat(), "days_overdue": str(days)},
            )
        )
        session.flush()
        audit.record(
            session,
            ACTOR,
            "escalate",
            "problem",
            f"problem/{problem.id}",
            after={"deadline": problem.deadline.isoformat(), "days_overdue": days},
        )
        notify(
            session,
            recipients=[
                *unit_users(session, problem),
                *assigner_users(problem),
                *supervisors(session, problem.region),
            ],
            kind="problem.overdue",
            subject=f"逾期督办：问题“{problem.title}”已超过完成时限 {days} 天",
            body=(
                f"{problem.region.name}的问题“{problem.title}”完成时限为 "
                f"{problem.deadline.isoformat()}，至今未销号（已逾期 {days} 天），请督促整改。"
            ),
            link=f"/problems/{problem.id}",
            dedupe_key=f"problem:{problem.id}:overdue:{problem.deadline.isoformat()}",
        )
        escalated.append(problem)
    return escalated
