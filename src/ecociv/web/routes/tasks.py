"""The task pages: a plan's key tasks (and a year's work plan), overdue parts; one task with
its departments' parts, reports, steps and files.  Writes go through ``/api/v1/tasks``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ecociv.store.services import departments, plans
from ecociv.tasks import records
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import plan_dict
from ecociv.web.work_present import assignment_detail, assignment_dict, task_dict

router = APIRouter()


@page(router, "/plans/{plan_id}/tasks", "tasks.html")
def task_list(
    plan_id: int,
    db: DbSession,
    user: CurrentUser,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    today = date.today()
    return {
        "plan": plan_dict(plan),
        "year": year,
        "tasks": [task_dict(t) for t in records.list_tasks(db, plan.id, year=year)],
        "overdue": [assignment_dict(a, today) for a in records.overdue(db, today, plan_id=plan.id)],
        "indicators": [
            {"code": i.code, "name": i.name} for i in plans.get_version(db, plan.id).indicators
        ],
    }


@page(router, "/tasks/{task_id}", "task.html")
def task(task_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    found = records.get_task(db, task_id)
    return {
        **task_dict(found),
        "plan": plan_dict(found.plan),
        "parts": [assignment_detail(db, a, user) for a in found.assignments],
        "departments": [{"code": d.code, "name": d.name} for d in departments.list_departments(db)],
    }


@page(router, "/departments/{code}/tasks", "responsibilities.html")
def responsibilities(code: str, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    department = departments.get_department(db, code)
    return {
        "department": {"code": department.code, "name": department.name},
        "assignments": [assignment_dict(a) for a in records.responsibility_list(db, code)],
    }
