"""Progress of a department's part of a task: reports (with evidence files), and the steps
of ``task_assignment`` (开始落实 → 申请办结 → 确认办结 / 退回, 撤销)."""

from __future__ import annotations

import math

from sqlalchemy.orm import Session

from ecociv.notify import notify
from ecociv.store.errors import Forbidden, ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import audit, unit_roles
from ecociv.store.services.audit import Actor
from ecociv.store.services.evidence import list_attachments
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.tables.tasks import TaskAssignment, TaskReport
from ecociv.tasks.records import WORKFLOW, assignment_where, get_assignment
from ecociv.workflow import Workflow, load
from ecociv.workflow.definition import TransitionDef

EVIDENCE_KIND = "task_assignment"
TEXT_MAX = 4000


def flow() -> Workflow:
    return load(WORKFLOW)


def roles(session: Session, actor: Actor, assignment: TaskAssignment) -> frozenset[str]:
    return unit_roles.roles_for(
        session, actor, assignment.task.region, [assignment.department.code]
    )


def available(session: Session, actor: Actor, assignment: TaskAssignment) -> list[TransitionDef]:
    return flow().available(assignment.state, roles(session, actor, assignment))


def report_progress(
    session: Session, actor: Actor, assignment_id: int, *, percent: float | None, text: str
) -> TaskReport:
    """A progress report by the department (evidence files attach to the assignment)."""
    assignment = get_assignment(session, assignment_id)
    where = assignment_where(assignment)
    if "unit" not in roles(session, actor, assignment):
        name = audit.actor_name(actor)
        raise Forbidden(
            f"只有{assignment.department.name}的人员可以报送此项进展（{name} 不是）",
            f"only staff of {assignment.department.name} may report on this ({name} is not)",
            where=where,
        )
    if flow().is_terminal(assignment.state):
        raise ValidationError("任务已结束，不能再报送进展", "the task has ended", where=where)
    text = (text or "").strip()
    if not text or len(text) > TEXT_MAX:
        raise ValidationError(
            f"进展说明须为 1–{TEXT_MAX} 个字符",
            f"the report must be 1–{TEXT_MAX} characters",
            where=where,
        )
    if percent is not None and not (math.isfinite(percent) and 0 <= percent <= 100):
        raise ValidationError(
            "完成比例须为 0 至 100", "the percentage must be 0 to 100", where=where
        )
    report = TaskReport(action="report", percent=percent, text=text, actor=audit.actor_name(actor))
    assignment.reports.append(report)
    session.flush()
    audit.record(session, actor, "report", "task_assignment", where, after=audit.snapshot(report))
    return report


def act(
    session: Session,
    actor: Actor,
    assignment_id: int,
    transition: str,
    *,
    expected_version: int,
    comment: str | None = None,
) -> TaskAssignment:
    assignment = get_assignment(session, assignment_id)
    where = assignment_where(assignment)
    check_version(assignment, expected_version, where)
    new_state = flow().fire(
        assignment.state,
        transition,
        roles(session, actor, assignment),
        comment=comment,
        has_evidence=bool(list_attachments(session, EVIDENCE_KIND, str(assignment.id))),
    )
    before = audit.snapshot(assignment)
    name = audit.actor_name(actor)
    assignment.reports.append(
        TaskReport(action=transition[:32], text=(comment or "").strip() or None, actor=name)
    )
    assignment.state = new_state
    if new_state == "done":
        assignment.done_at = utcnow()
    assignment.updated_by, assignment.updated_at = name, utcnow()
    flush_guarded(session, where)
    audit.record(
        session,
        actor,
        transition[:32],
        "task_assignment",
        where,
        before=before,
        after=audit.snapshot(assignment),
    )
    if transition in ("return", "accept", "cancel"):
        move = flow().transition(transition)
        notify(
            session,
            recipients=unit_roles.unit_users(
                session, assignment.task.region, [assignment.department.code]
            ),
            kind=f"task.{transition}",
            subject=f"任务“{assignment.task.title}”：{move.zh}",
            body=f"{name} 对{assignment.department.name}承担的“{assignment.task.title}”执行了“{move.zh}”。"
            + (f"意见：{comment.strip()}" if comment and comment.strip() else ""),
            link=f"/tasks/{assignment.task_id}",
            dedupe_key=f"task-assignment:{assignment.id}:{len(assignment.reports)}",
        )
    return assignment
