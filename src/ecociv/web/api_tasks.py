"""``/api/v1/tasks``: a plan's key tasks, their decomposition to departments, progress
reports and steps (``task_assignment``), evidence, 责任清单 and overdue assignments."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, UploadFile

from ecociv.tasks import progress, records
from ecociv.tasks.records import TaskInput
from ecociv.tasks.sheet import import_sheet as import_task_rows
from ecociv.web.api_work_models import (
    AssignIn,
    AssignmentDetailOut,
    AssignmentOut,
    AttachmentOut,
    Day,
    ProgressIn,
    StepIn,
    TaskIn,
    TaskOut,
    TaskReportOut,
)
from ecociv.web.deps import AppSettings, CurrentUser, DbSession, Writer
from ecociv.web.evidence_upload import EvidenceFile, EvidenceNote, attach
from ecociv.web.work_present import (
    assignment_detail,
    assignment_dict,
    task_dict,
)

router = APIRouter(tags=["tasks"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
DepartmentCode = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


@router.get("", response_model=list[TaskOut])
def list_tasks(
    db: DbSession,
    user: CurrentUser,
    plan_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> list[dict[str, Any]]:
    """The plan's key tasks; with ``year``, that year's work plan (年度工作计划)."""
    return [task_dict(t) for t in records.list_tasks(db, plan_id, year=year)]


@router.post("", response_model=TaskOut, status_code=201)
def create_task(body: TaskIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Enter a key task of the plan."""
    values = body.model_dump(exclude={"plan_id"})
    values["indicator_codes"] = tuple(values["indicator_codes"])
    return task_dict(records.create_task(db, user, body.plan_id, TaskInput(**values)))


@router.post("/sheet", response_model=list[TaskOut], status_code=201)
def import_task_sheet(
    plan_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    file: Annotated[UploadFile, File()],
    db: DbSession,
    user: Writer,
) -> list[dict[str, Any]]:
    """Create the tasks of a 任务分解表 with their lead and cooperating departments (all rows
    or none; each problem named by its cell)."""
    return [task_dict(t) for t in import_task_rows(db, user, plan_id, file.file.read())]


@router.get("/overdue", response_model=list[AssignmentOut])
def overdue(
    db: DbSession,
    user: CurrentUser,
    as_of: Annotated[Day | None, Query()] = None,
    plan_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[dict[str, Any]]:
    """Assignments neither done nor cancelled past their deadline."""
    today = as_of or date.today()
    return [assignment_dict(a, today) for a in records.overdue(db, today, plan_id=plan_id)]


@router.get("/responsibilities/{department_code}", response_model=list[AssignmentOut])
def responsibilities(
    department_code: DepartmentCode, db: DbSession, user: CurrentUser
) -> list[dict[str, Any]]:
    """A department's 责任清单: every task part given to it, by deadline."""
    return [assignment_dict(a) for a in records.responsibility_list(db, department_code)]


@router.get("/{task_id:int}", response_model=TaskOut)
def get_task(task_id: Id, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    return task_dict(records.get_task(db, task_id))


@router.post("/{task_id:int}/assignments", response_model=AssignmentOut, status_code=201)
def assign(task_id: Id, body: AssignIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Give the task to a department as lead (one) or cooperating unit."""
    assignment = records.decompose(
        db,
        user,
        task_id,
        department_code=body.department_code,
        role=body.role,
        measures=body.measures,
        deliverables=body.deliverables,
        deadline=body.deadline,
    )
    return assignment_dict(assignment)


@router.get("/assignments/{assignment_id:int}", response_model=AssignmentDetailOut)
def get_assignment(assignment_id: Id, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    return assignment_detail(db, records.get_assignment(db, assignment_id), user)


@router.post(
    "/assignments/{assignment_id:int}/reports", response_model=TaskReportOut, status_code=201
)
def report(assignment_id: Id, body: ProgressIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """A progress report by the department."""
    row = progress.report_progress(db, user, assignment_id, percent=body.percent, text=body.text)
    return {
        "action": row.action,
        "percent": row.percent,
        "text": row.text,
        "actor": row.actor,
        "at": row.at.isoformat(),
    }


@router.post("/assignments/{assignment_id:int}/transitions", response_model=AssignmentOut)
def step(assignment_id: Id, body: StepIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Take a step of ``task_assignment`` (开始落实, 申请办结, 确认办结, 退回, 撤销)."""
    assignment = progress.act(
        db,
        user,
        assignment_id,
        body.transition,
        expected_version=body.expected_version,
        comment=body.comment,
    )
    return assignment_dict(assignment)


@router.post(
    "/assignments/{assignment_id:int}/evidence", response_model=AttachmentOut, status_code=201
)
def add_evidence(
    assignment_id: Id,
    file: EvidenceFile,
    db: DbSession,
    user: Writer,
    settings: AppSettings,
    note: EvidenceNote = "",
) -> dict[str, Any]:
    """Attach a deliverable or proof to a department's part of a task."""
    assignment = records.get_assignment(db, assignment_id)
    return attach(
        db,
        settings,
        user,
        file,
        note,
        owner_kind=progress.EVIDENCE_KIND,
        owner_key=str(assignment.id),
        region_code=assignment.task.region.code,
    )
