"""The ``tasks_overdue`` job: warn the departments of task assignments past their deadline
(:func:`ecociv.tasks.records.overdue`), once per assignment and deadline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ecociv.jobs import job
from ecociv.notify import notify
from ecociv.settings import Settings
from ecociv.store.services.unit_roles import unit_users
from ecociv.tasks.records import overdue


@job("tasks_overdue", zh="任务逾期预警", en="warn of overdue tasks")
def tasks_overdue(session: Session, settings: Settings, now: datetime) -> tuple[str, str]:
    warned = 0
    for assignment in overdue(session, now.date()):
        task = assignment.task
        days = (now.date() - assignment.deadline).days
        made = notify(
            session,
            recipients=[
                *unit_users(session, task.region, [assignment.department.code]),
                *([task.created_by] if task.created_by else []),
            ],
            kind="task.overdue",
            subject=f"任务逾期：{task.title}（{assignment.department.name}，已逾期 {days} 天）",
            body=(
                f"{assignment.department.name}承担的“{task.title}”完成时限为 "
                f"{assignment.deadline.isoformat()}，至今未办结。"
            ),
            link=f"/tasks/{task.id}",
            dedupe_key=f"task-assignment:{assignment.id}:overdue:{assignment.deadline.isoformat()}",
        )
        warned += bool(made)
    return f"逾期预警 {warned} 项任务分工", f"{warned} overdue task assignment(s) warned"
