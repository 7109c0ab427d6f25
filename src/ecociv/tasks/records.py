"""Key tasks and their decomposition to departments: enter a task, give it to a lead and
cooperating departments, list a year's work plan and a department's 责任清单."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.notify import notify
from ecociv.store.errors import Conflict, Forbidden, NotFound, ValidationError
from ecociv.store.models import PlanIndicator
from ecociv.store.services import audit, unit_roles
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.days import FIRST_DAY, LAST_DAY, check_day
from ecociv.store.services.departments import get_department
from ecociv.store.services.plans import get_plan, get_version
from ecociv.store.tables.tasks import KeyTask, TaskAssignment
from ecociv.workflow import load

WORKFLOW = "task_assignment"
ROLES = {"lead": ("牵头", "lead"), "cooperate": ("配合", "cooperating")}
TEXT_MAX = 4000


@dataclass(frozen=True)
class TaskInput:
    code: str
    title: str
    deadline: date
    chapter: str | None = None
    measures: str | None = None
    deliverables: str | None = None
    year: int | None = None
    indicator_codes: tuple[str, ...] = ()


def task_where(task: KeyTask) -> str:
    return f"task/{task.id}"


def assignment_where(assignment: TaskAssignment) -> str:
    return f"task/{assignment.task_id}/{assignment.department.code}"


def create_task(session: Session, actor: Actor, plan_id: int, task: TaskInput) -> KeyTask:
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    where = f"plan/{plan.id}/task/{task.code}"
    problems = _problems(session, plan_id, task)
    if problems:
        raise ValidationError(
            "；".join(f"{p['field']}：{p['zh']}" for p in problems),
            "; ".join(f"{p['field']}: {p['en']}" for p in problems),
            where=where,
            problems=problems,
        )
    if session.scalar(
        select(KeyTask.id).where(KeyTask.plan_id == plan.id, KeyTask.code == task.code)
    ):
        raise Conflict(
            f"规划中已有编号为 {task.code} 的任务",
            f"the plan already has a task {task.code}",
            where=where,
        )
    row = KeyTask(
        plan=plan,
        region=plan.region,
        code=task.code.strip(),
        title=task.title.strip(),
        deadline=task.deadline,
        chapter=_text(task.chapter),
        measures=_text(task.measures),
        deliverables=_text(task.deliverables),
        year=task.year,
        indicator_codes=list(task.indicator_codes),
        created_by=audit.actor_name(actor),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "key_task", task_where(row), after=audit.snapshot(row))
    return row


def decompose(
    session: Session,
    actor: Actor,
    task_id: int,
    *,
    department_code: str,
    role: str,
    measures: str | None = None,
    deliverables: str | None = None,
    deadline: date | None = None,
) -> TaskAssignment:
    """Give the task to a department as ``lead`` (one per task) or ``cooperate``; its
    users are told."""
    task = get_task(session, task_id)
    department = get_department(session, department_code)
    where = f"{task_where(task)}/{department.code}"
    units = {a.department.code for a in task.assignments} | {department.code}
    if "assigner" not in unit_roles.roles_for(session, actor, task.region, units):
        name = audit.actor_name(actor)
        raise Forbidden(
            f"用户 {name} 不能向 {department.name} 分解任务",
            f"user {name} may not assign tasks to {department.name}",
            where=where,
        )
    if role not in ROLES:
        raise ValidationError(
            f"分工 {role!r} 无效（lead 牵头 / cooperate 配合）",
            f"invalid role {role!r} (lead / cooperate)",
            where=where,
        )
    if any(a.department_id == department.id for a in task.assignments):
        raise Conflict(
            f"任务已分解给 {department.name}",
            f"the task is already given to {department.name}",
            where=where,
        )
    if role == "lead" and any(a.role == "lead" for a in task.assignments):
        raise Conflict("任务已有牵头单位", "the task already has a lead department", where=where)
    due = check_day(deadline, where, "deadline") if deadline else task.deadline
    if due > task.deadline:
        raise ValidationError(
            f"分解后的时限 {due.isoformat()} 晚于任务时限 {task.deadline.isoformat()}",
            f"the deadline {due.isoformat()} is after the task's {task.deadline.isoformat()}",
            where=where,
        )
    assignment = TaskAssignment(
        task=task,
        department=department,
        role=role,
        measures=_text(measures) or task.measures,
        deliverables=_text(deliverables) or task.deliverables,
        deadline=due,
        state=load(WORKFLOW).initial,
        updated_by=audit.actor_name(actor),
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session, actor, "create", "task_assignment", where, after=audit.snapshot(assignment)
    )
    notify(
        session,
        recipients=unit_roles.unit_users(session, task.region, [department.code]),
        kind="task.assign",
        subject=f"新任务（{ROLES[role][0]}）：{task.title}",
        body=f"{department.name}为“{task.title}”的{ROLES[role][0]}单位，完成时限 {due.isoformat()}。",
        link=f"/tasks/{task.id}",
        dedupe_key=f"task:{task.id}:{department.code}:assign",
    )
    return assignment


def get_task(session: Session, task_id: int) -> KeyTask:
    task = session.get(KeyTask, task_id)
    if task is None:
        raise NotFound(
            f"没有编号为 {task_id} 的任务", f"no task {task_id}", where=f"task/{task_id}"
        )
    return task


def get_assignment(session: Session, assignment_id: int) -> TaskAssignment:
    found = session.get(TaskAssignment, assignment_id)
    if found is None:
        raise NotFound(
            f"没有编号为 {assignment_id} 的任务分工",
            f"no task assignment {assignment_id}",
            where=f"assignment/{assignment_id}",
        )
    return found


def list_tasks(session: Session, plan_id: int, *, year: int | None = None) -> list[KeyTask]:
    """The plan's tasks; with *year*, that year's work plan (年度工作计划): the tasks placed
    in the year, and the unplaced ones due in it."""
    plan = get_plan(session, plan_id)
    tasks = list(
        session.scalars(
            select(KeyTask)
            .where(KeyTask.plan_id == plan.id)
            .order_by(KeyTask.deadline, KeyTask.code)
        )
    )
    if year is None:
        return tasks
    return [t for t in tasks if t.year == year or (t.year is None and t.deadline.year == year)]


def responsibility_list(session: Session, department_code: str) -> list[TaskAssignment]:
    """A department's 责任清单: everything given to it, by deadline."""
    department = get_department(session, department_code)
    return list(
        session.scalars(
            select(TaskAssignment)
            .where(TaskAssignment.department_id == department.id)
            .order_by(TaskAssignment.deadline, TaskAssignment.id)
        )
    )


def overdue(session: Session, as_of: date, *, plan_id: int | None = None) -> list[TaskAssignment]:
    """Assignments neither done nor cancelled whose deadline passed before *as_of*."""
    flow = load(WORKFLOW)
    query = select(TaskAssignment).where(TaskAssignment.deadline < as_of)
    if plan_id is not None:
        query = query.join(KeyTask).where(KeyTask.plan_id == plan_id)
    found = session.scalars(query.order_by(TaskAssignment.deadline, TaskAssignment.id))
    return [a for a in found if not flow.is_terminal(a.state)]


def task_state(task: KeyTask) -> str:
    """``done`` when every assignment ended and one was done; ``unassigned`` without any;
    else ``open``."""
    flow = load(WORKFLOW)
    if not task.assignments:
        return "unassigned"
    if all(flow.is_terminal(a.state) for a in task.assignments) and any(
        a.state == "done" for a in task.assignments
    ):
        return "done"
    return "open"


def _problems(session: Session, plan_id: int, task: TaskInput) -> list[dict[str, str]]:
    problems = []
    code = (task.code or "").strip()
    if not code or len(code) > 40:
        problems.append(
            {"field": "code", "zh": "须为 1–40 个字符", "en": "must be 1–40 characters"}
        )
    if not (task.title or "").strip() or len(task.title) > 500:
        problems.append(
            {"field": "title", "zh": "须为 1–500 个字符", "en": "must be 1–500 characters"}
        )
    for field in ("chapter", "measures", "deliverables"):
        value = getattr(task, field)
        if value is not None and len(value) > TEXT_MAX:
            problems.append(
                {
                    "field": field,
                    "zh": f"不超过 {TEXT_MAX} 字",
                    "en": f"at most {TEXT_MAX} characters",
                }
            )
    if not FIRST_DAY <= task.deadline <= LAST_DAY:
        problems.append({"field": "deadline", "zh": "日期超出范围", "en": "date out of range"})
    if task.year is not None and not 1949 <= task.year <= 2100:
        problems.append({"field": "year", "zh": "年份无效", "en": "invalid year"})
    version = get_version(session, plan_id)
    known = set(
        session.scalars(
            select(PlanIndicator.code).where(PlanIndicator.plan_version_id == version.id)
        )
    )
    for indicator in task.indicator_codes:
        if indicator not in known:
            problems.append(
                {
                    "field": "indicator_codes",
                    "zh": f"规划没有指标 {indicator}",
                    "en": f"the plan has no indicator {indicator}",
                }
            )
    return problems


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None
