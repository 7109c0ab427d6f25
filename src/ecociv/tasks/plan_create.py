"""Create the tasks read from a plan (:mod:`ecociv.tasks.plan_read`) through the task
service, all or nothing, by the rules of a 任务分解表 row (:func:`ecociv.tasks.sheet.create_rows`):
exactly one lead unit, departments known by code or name, a deadline with a year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ecociv.store.errors import ValidationError
from ecociv.store.services.audit import Actor
from ecociv.store.services.plans import get_plan
from ecociv.store.services.regions import get_region
from ecociv.store.tables.tasks import KeyTask
from ecociv.tasks.plan_read import TaskCandidate, TaskReading
from ecociv.tasks.sheet import create_rows


def place(candidate: TaskCandidate) -> str:
    """Where a candidate was read: file!table T row R, or file!line L / paragraph P."""
    where = candidate.where
    name = Path(where.file).name if where.file else "plan"
    if where.table is not None and where.row is not None:
        return f"{name}!表{where.table + 1}第{where.row + 1}行"
    if where.line_start is not None:
        return f"{name}!第{where.line_start}行"
    return f"{name}!段落{(where.paragraph or 0) + 1}"


def create_read_tasks(
    session: Session,
    actor: Actor,
    plan_id: int,
    region_code: str,
    reading: TaskReading,
    code_prefix: str = "R",
) -> list[KeyTask]:
    """Create *reading*'s candidates as tasks of plan *plan_id*, which must be a plan of
    *region_code*; task codes are *code_prefix* and the candidate's number (R01, R02, …)."""
    region = get_region(session, region_code)
    plan = get_plan(session, plan_id)
    if plan.region_id != region.id:
        raise ValidationError(
            f"规划 {plan_id} 不属于行政区 {region_code}",
            f"plan {plan_id} is not a plan of region {region_code}",
            where=f"plan/{plan_id}",
        )
    rows = [
        _values(candidate, f"{code_prefix}{number:02d}")
        for number, candidate in enumerate(reading.candidates, start=1)
    ]
    return create_rows(
        session,
        actor,
        plan_id,
        rows,
        (
            "读取的任务",
            "the tasks read",
            place(reading.candidates[0]) if reading.candidates else "",
        ),
    )


def _values(candidate: TaskCandidate, code: str) -> tuple[dict[str, Any], Any]:
    year = candidate.deadline_year
    values = {
        "code": code,
        "title": candidate.title,
        "chapter": candidate.heading_path[0] if candidate.heading_path else candidate.caption,
        "measures": candidate.measures,
        "deadline": f"{year}-12" if year is not None else candidate.deadline_text,
        "lead": "、".join(candidate.lead_units),
        "cooperate": "、".join(candidate.cooperating_units),
    }
    where = place(candidate)
    return values, lambda field: where
