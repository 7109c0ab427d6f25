"""``/api/v1/projects``: the project library — lifecycle steps, 调度 reports, change
requests, funding, milestones, indicator links, evidence, and the completion, lagging and
timeline views.  Thin: each route calls one service of :mod:`ecociv.projects`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Response, UploadFile

from ecociv.projects import changes, dispatch, lifecycle, performance, records, summary
from ecociv.projects.dispatch import MilestoneReached, ReportInput
from ecociv.projects.dispatch_sheet import export_sheet, import_sheet
from ecociv.web.api_models import CODE_PATTERN
from ecociv.web.api_performance_models import (
    EvaluationCreateIn,
    EvaluationIn,
    EvaluationOut,
    EvaluationUpdateIn,
)
from ecociv.web.api_work_models import (
    AttachmentOut,
    ChangeIn,
    ChangeOut,
    CompletionOut,
    Day,
    DecisionIn,
    DispatchReportIn,
    DispatchReportOut,
    EnrolIn,
    FundingIn,
    LaggingOut,
    LinkIn,
    MilestoneIn,
    ProjectDetailOut,
    ProjectRecordOut,
    StepIn,
)
from ecociv.web.deps import AppSettings, CurrentUser, DbSession, Writer
from ecociv.web.evidence_upload import EvidenceFile, EvidenceNote, attach
from ecociv.web.pages import attachment
from ecociv.web.work_present import (
    change_dict,
    evaluation_dict,
    record_detail,
    record_dict,
    report_dict,
)

router = APIRouter(tags=["projects"])
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PlanQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
RegionQuery = Annotated[str | None, Query(max_length=32, pattern=CODE_PATTERN)]
Period = Annotated[str, Path(max_length=8, pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")]


@router.get("", response_model=list[ProjectRecordOut])
def list_projects(
    db: DbSession,
    user: CurrentUser,
    plan_id: PlanQuery = None,
    region: RegionQuery = None,
    state: Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")] = None,
) -> list[dict[str, Any]]:
    """Projects of the library, by plan, region subtree and lifecycle state."""
    found = records.list_records(db, plan_id=plan_id, region_code=region, state=state)
    return [record_dict(r) for r in found]


@router.post("/enrol", response_model=list[ProjectRecordOut], status_code=201)
def enrol(body: EnrolIn, db: DbSession, user: Writer) -> list[dict[str, Any]]:
    """Enrol the plan's projects not yet in the library (state 储备)."""
    return [record_dict(r) for r in records.enrol_plan(db, user, body.plan_id)]


@router.get("/completion", response_model=list[CompletionOut])
def completion(
    db: DbSession,
    user: CurrentUser,
    by: Annotated[summary.Grouping, Query()] = "category",
    plan_id: PlanQuery = None,
    region: RegionQuery = None,
) -> list[dict[str, Any]]:
    """Planned and completed investment by category, lead unit, region or year."""
    groups = summary.completion(db, by, plan_id=plan_id, region_code=region)
    return [{**asdict(g), "rate": g.rate} for g in groups]


@router.get("/lagging", response_model=list[LaggingOut])
def lagging(
    db: DbSession,
    user: CurrentUser,
    as_of: Annotated[Day | None, Query()] = None,
    plan_id: PlanQuery = None,
    region: RegionQuery = None,
) -> list[dict[str, Any]]:
    """Projects being carried out that lag (progress, investment, overdue milestones)."""
    found = summary.lagging_list(db, as_of or date.today(), plan_id=plan_id, region_code=region)
    return [
        {
            "id": item.record.id,
            "name": item.record.project.name,
            "state": item.record.state,
            "period": item.report.period if item.report else None,
            "lags": [{"kind": lag.kind, "zh": lag.zh, "en": lag.en} for lag in item.lags],
        }
        for item in found
    ]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/dispatch-sheet",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "调度表 / the dispatch sheet"}},
)
def dispatch_sheet(
    db: DbSession,
    user: CurrentUser,
    plan_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    period: Annotated[str, Query(max_length=8, pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")],
) -> Response:
    """The 调度表 of the plan's library for *period*, to fill in and import again."""
    data = export_sheet(db, plan_id, period)
    return Response(data, media_type=XLSX, headers=attachment(f"dispatch-{plan_id}-{period}.xlsx"))


@router.post("/dispatch-sheet", response_model=list[DispatchReportOut])
def import_dispatch_sheet(
    plan_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    file: Annotated[UploadFile, File()],
    db: DbSession,
    user: Writer,
) -> list[dict[str, Any]]:
    """Save a filled-in 调度表 (all rows or none; each problem named by its cell)."""
    return [report_dict(r) for r in import_sheet(db, user, plan_id, file.file.read())]


@router.get("/{record_id:int}", response_model=ProjectDetailOut)
def get_project(record_id: RecordId, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    """One project with its milestones, funding, reports, change requests, files and the
    lifecycle steps the caller may take now."""
    record = records.get_record(db, record_id)
    return record_detail(db, record, user, changes.list_changes(db, record.id))


@router.post("/{record_id:int}/transitions", response_model=ProjectRecordOut)
def step(record_id: RecordId, body: StepIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Take a lifecycle step (``project_lifecycle``) from the version read."""
    record = lifecycle.advance(
        db,
        user,
        record_id,
        body.transition,
        expected_version=body.expected_version,
        comment=body.comment,
    )
    return record_dict(record)


@router.put("/{record_id:int}/reports/{period}", response_model=DispatchReportOut)
def put_report(
    record_id: RecordId, period: Period, body: DispatchReportIn, db: DbSession, user: Writer
) -> dict[str, Any]:
    """Enter the period's 调度 report, or update the version read (``expected_version``)."""
    report = ReportInput(
        period=period,
        progress_percent=body.progress_percent,
        planned_progress_percent=body.planned_progress_percent,
        invested_period_wan_yuan=body.invested_period_wan_yuan,
        invested_to_date_wan_yuan=body.invested_to_date_wan_yuan,
        planned_year_wan_yuan=body.planned_year_wan_yuan,
        milestones=tuple(MilestoneReached(m.name, m.actual) for m in body.milestones),
        problems=tuple(body.problems),
        note=body.note,
    )
    saved = dispatch.save_report(
        db, user, record_id, report, expected_version=body.expected_version
    )
    return report_dict(saved)


@router.post("/{record_id:int}/changes", response_model=ChangeOut, status_code=201)
def request_change(
    record_id: RecordId, body: ChangeIn, db: DbSession, user: Writer
) -> dict[str, Any]:
    """File a change request (nothing changes until it is approved)."""
    change = changes.request_change(
        db, user, record_id, field=body.field, new_value=body.new_value, reason=body.reason
    )
    return change_dict(change)


@router.post("/changes/{change_id:int}/decision", response_model=ChangeOut)
def decide(change_id: RecordId, body: DecisionIn, db: DbSession, user: Writer) -> dict[str, Any]:
    """Approve (the plan version's project list is changed) or refuse a change request."""
    change = changes.decide(db, user, change_id, approve=body.approve, comment=body.comment)
    return change_dict(change)


@router.put("/{record_id:int}/funding/{source}", response_model=ProjectRecordOut)
def put_funding(
    record_id: RecordId,
    source: Annotated[str, Path(max_length=32, pattern=r"^[a-z_]+$")],
    body: FundingIn,
    db: DbSession,
    user: Writer,
) -> dict[str, Any]:
    """Set the amount from one funding channel (万元)."""
    records.set_funding(
        db, user, record_id, source=source, amount_wan_yuan=body.amount_wan_yuan, note=body.note
    )
    return record_dict(records.get_record(db, record_id))


@router.post("/{record_id:int}/milestones", response_model=ProjectRecordOut, status_code=201)
def add_milestone(
    record_id: RecordId, body: MilestoneIn, db: DbSession, user: Writer
) -> dict[str, Any]:
    """Add a milestone (节点) with its planned date."""
    records.add_milestone(db, user, record_id, name=body.name, planned=body.planned)
    return record_dict(records.get_record(db, record_id))


@router.post("/{record_id:int}/indicators", response_model=ProjectRecordOut, status_code=201)
def link_indicator(
    record_id: RecordId, body: LinkIn, db: DbSession, user: Writer
) -> dict[str, Any]:
    """Record that the project serves one of the plan's indicators."""
    records.link_indicator(db, user, record_id, body.indicator_code)
    return record_dict(records.get_record(db, record_id))


@router.post("/{record_id:int}/evidence", response_model=AttachmentOut, status_code=201)
def add_evidence(
    record_id: RecordId,
    file: EvidenceFile,
    db: DbSession,
    user: Writer,
    settings: AppSettings,
    note: EvidenceNote = "",
) -> dict[str, Any]:
    """Attach a file (photo, approval, acceptance report) to the project."""
    record = records.get_record(db, record_id)
    return attach(
        db,
        settings,
        user,
        file,
        note,
        owner_kind=lifecycle.EVIDENCE_KIND,
        owner_key=str(record.id),
        region_code=record.region.code,
    )


def _evaluation_input(year: int, body: EvaluationIn) -> performance.EvaluationInput:
    return performance.EvaluationInput(
        year=year,
        evaluator=body.evaluator,
        evaluated_on=body.evaluated_on,
        scores={
            code: performance.Score(item.score, item.comment) for code, item in body.scores.items()
        },
        comment=body.comment,
    )


@router.get("/{record_id:int}/evaluations", response_model=list[EvaluationOut])
def list_evaluations(record_id: RecordId, db: DbSession, user: CurrentUser) -> list[dict[str, Any]]:
    """The project's performance evaluations (绩效评价), one per year, with total and grade."""
    return [evaluation_dict(e) for e in performance.list_evaluations(db, record_id)]


@router.post("/{record_id:int}/evaluations", response_model=EvaluationOut, status_code=201)
def create_evaluation(
    record_id: RecordId, body: EvaluationCreateIn, db: DbSession, user: Writer
) -> dict[str, Any]:
    """Enter the year's evaluation: every indicator scored (0 to its points) or marked
    不适用 (``score`` null, with a comment); only the level above the project evaluates."""
    row = performance.create_evaluation(db, user, record_id, _evaluation_input(body.year, body))
    return evaluation_dict(row)


@router.put("/{record_id:int}/evaluations/{year:int}", response_model=EvaluationOut)
def update_evaluation(
    record_id: RecordId,
    year: Annotated[int, Path(ge=1949, le=2100)],
    body: EvaluationUpdateIn,
    db: DbSession,
    user: Writer,
) -> dict[str, Any]:
    """Update the year's evaluation from the version read (``expected_version``)."""
    row = performance.update_evaluation(
        db, user, record_id, _evaluation_input(year, body), expected_version=body.expected_version
    )
    return evaluation_dict(row)
