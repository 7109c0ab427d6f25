"""``/api/v1/problems``: problems to rectify — the record, the workflow steps
(``problem_rectification``), evidence, and 完成率 / 按期完成率 statistics."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from ecociv.problems import flow, records, stats
from ecociv.problems.records import ProblemInput
from ecociv.web.api_models import CODE_PATTERN
from ecociv.web.api_work_models import (
    AttachmentOut,
    Day,
    ProblemDetailOut,
    ProblemIn,
    ProblemOut,
    ProblemStepIn,
    RatesOut,
)
from ecociv.web.deps import AppSettings, CurrentUser, DbSession, Writer
from ecociv.web.evidence_upload import EvidenceFile, EvidenceNote, attach
from ecociv.web.work_present import problem_detail, problem_dict

router = APIRouter(tags=["problems"])
ProblemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RegionQuery = Annotated[str | None, Query(max_length=32, pattern=CODE_PATTERN)]
Word = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")]


def problem_input(body: ProblemIn) -> ProblemInput:
    values = body.model_dump(exclude={"region_code"})
    values["responsible_units"] = tuple(values["responsible_units"])
    return ProblemInput(**values)


@router.get("", response_model=list[ProblemOut])
def list_problems(
    db: DbSession,
    user: CurrentUser,
    region: RegionQuery = None,
    state: Word = None,
    source: Word = None,
    unit: Word = None,
) -> list[dict[str, Any]]:
    """Problems of a region subtree, in a state, from a source, of a unit."""
    found = records.list_problems(db, region_code=region, state=state, source=source, unit=unit)
    return [problem_dict(p) for p in found]


@router.post("", response_model=ProblemOut, status_code=201)
def create_problem(body: ProblemIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Record a problem found (state 发现) in a region the caller may edit."""
    problem = records.create_problem(
        db, user, region_code=body.region_code, record=problem_input(body)
    )
    return problem_dict(problem)


@router.get("/stats", response_model=list[RatesOut])
def problem_stats(
    db: DbSession,
    user: CurrentUser,
    by: Annotated[stats.Grouping, Query()] = "unit",
    as_of: Annotated[Day | None, Query()] = None,
    region: RegionQuery = None,
) -> list[dict[str, Any]]:
    """完成率 and 按期完成率 by unit, source or region."""
    found = stats.rates(db, by, as_of or date.today(), region_code=region)
    return [
        {**asdict(r), "completion_rate": r.completion_rate, "on_time_rate": r.on_time_rate}
        for r in found
    ]


@router.get("/{problem_id:int}", response_model=ProblemDetailOut)
def get_problem(problem_id: ProblemId, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    """One problem with its steps so far, its files and the steps the caller may take."""
    return problem_detail(db, records.get_problem(db, problem_id), user)


@router.put("/{problem_id:int}", response_model=ProblemOut)
def update_problem(
    problem_id: ProblemId,
    body: ProblemIn,
    expected_version: Annotated[int, Query(ge=1, le=2**31 - 1)],
    db: DbSession,
    user: Writer,
) -> dict[str, Any]:
    """Edit the record before the units start work (from the version read)."""
    problem = records.update_problem(
        db, user, problem_id, record=problem_input(body), expected_version=expected_version
    )
    return problem_dict(problem)


@router.post("/{problem_id:int}/transitions", response_model=ProblemOut)
def step(problem_id: ProblemId, body: ProblemStepIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Take a step of ``problem_rectification`` (交办, 整改, 申请销号, 退回, 销号, 延期 …)."""
    problem = flow.act(
        db,
        user,
        problem_id,
        body.transition,
        expected_version=body.expected_version,
        comment=body.comment,
        new_deadline=body.new_deadline,
    )
    return problem_dict(problem)


@router.post("/{problem_id:int}/evidence", response_model=AttachmentOut, status_code=201)
def add_evidence(
    problem_id: ProblemId,
    file: EvidenceFile,
    db: DbSession,
    user: Writer,
    settings: AppSettings,
    note: EvidenceNote = "",
) -> dict[str, Any]:
    """Attach proof of rectification (photos, documents) to the problem."""
    problem = records.get_problem(db, problem_id)
    return attach(
        db,
        settings,
        user,
        file,
        note,
        owner_kind=flow.EVIDENCE_KIND,
        owner_key=str(problem.id),
        region_code=problem.region.code,
    )
