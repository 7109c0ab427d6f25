"""The steps of a problem (交办 → 整改 → 申请销号 → 验收销号 / 退回, 延期 with approval), run
by the workflow definition ``problem_rectification``; each step is an event, audited, and
told to the side that acts next (``data/problems.yaml``, ``notify``).

A closure request needs evidence attached since the problem was last returned: a returned
problem is closed on new proof, not on the proof already refused.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ecociv.notify import notify
from ecociv.problems.records import WORKFLOW, get_problem, where_of
from ecociv.problems.roles import assigner_users, roles_for, unit_users
from ecociv.problems.vocab import notify_side
from ecociv.store.errors import ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.services.days import check_day
from ecociv.store.services.evidence import list_attachments
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.tables.problems import Problem, ProblemEvent
from ecociv.workflow import Workflow, load
from ecociv.workflow.definition import TransitionDef

EVIDENCE_KIND = "problem"


def flow() -> Workflow:
    return load(WORKFLOW)


def available(session: Session, actor: Actor, problem: Problem) -> list[TransitionDef]:
    return flow().available(problem.state, roles_for(session, actor, problem))


def has_fresh_evidence(session: Session, problem: Problem) -> bool:
    """Evidence attached after the problem was last returned (any, when never returned)."""
    returned = [e.at for e in problem.events if e.action == "return"]
    files = list_attachments(session, EVIDENCE_KIND, str(problem.id))
    return any(not returned or f.uploaded_at > returned[-1] for f in files)


def act(
    session: Session,
    actor: Actor,
    problem_id: int,
    transition: str,
    *,
    expected_version: int,
    comment: str | None = None,
    new_deadline: date | None = None,
    now: datetime | None = None,
) -> Problem:
    """Take *transition* from the version read.  ``request_extension`` takes *new_deadline*
    (later than the current one); ``approve_extension`` moves the deadline to it."""
    problem = get_problem(session, problem_id)
    where = where_of(problem)
    check_version(problem, expected_version, where)
    at = now or utcnow()
    new_state = flow().fire(
        problem.state,
        transition,
        roles_for(session, actor, problem),
        comment=comment,
        has_evidence=has_fresh_evidence(session, problem),
    )
    before = audit.snapshot(problem)
    details: dict[str, str] = {}
    if transition == "request_extension":
        if new_deadline is not None:
            check_day(new_deadline, f"{where}/new_deadline", "new_deadline")
        if new_deadline is None or new_deadline <= problem.deadline:
            raise ValidationError(
                f"申请延期须给出晚于 {problem.deadline.isoformat()} 的新完成时限",
                f"an extension needs a new deadline after {problem.deadline.isoformat()}",
                where=f"{where}/new_deadline",
            )
        problem.requested_deadline = new_deadline
        details["requested_deadline"] = new_deadline.isoformat()
    elif transition == "approve_extension" and problem.requested_deadline is not None:
        details = {
            "from": problem.deadline.isoformat(),
            "to": problem.requested_deadline.isoformat(),
        }
        problem.deadline, problem.requested_deadline = problem.requested_deadline, None
    elif transition == "refuse_extension":
        problem.requested_deadline = None
    if flow().is_terminal(new_state):
        problem.closed_at = at
    name = audit.actor_name(actor)
    problem.events.append(
        ProblemEvent(
            action=transition,
            from_state=problem.state,
            to_state=new_state,
            actor=name,
            at=at,
            comment=(comment or "").strip() or None,
            details=details,
        )
    )
    problem.state = new_state
    problem.updated_by, problem.updated_at = name, at
    flush_guarded(session, where)
    audit.record(
        session,
        actor,
        transition[:32],
        "problem",
        where,
        before=before,
        after=audit.snapshot(problem),
    )
    _tell(session, problem, transition, name, comment)
    return problem


def _tell(
    session: Session, problem: Problem, transition: str, actor: str, comment: str | None
) -> None:
    side = notify_side().get(transition)
    if side is None:
        return
    recipients = unit_users(session, problem) if side == "unit" else assigner_users(problem)
    move = flow().transition(transition)
    state = flow().state_label(problem.state)
    notify(
        session,
        recipients=[r for r in recipients if r != actor],
        kind=f"problem.{transition}",
        subject=f"问题“{problem.title}”：{move.zh}",
        body=(
            f"{actor} 对问题“{problem.title}”执行了“{move.zh}”，当前状态：{state}；"
            f"完成时限 {problem.deadline.isoformat()}。"
            + (f"意见：{comment.strip()}" if comment and comment.strip() else "")
        ),
        link=f"/problems/{problem.id}",
        dedupe_key=f"problem:{problem.id}:{len(problem.events)}",
    )
