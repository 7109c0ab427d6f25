"""The reporting cycle's pages and form actions (each page with its JSON twin):

* ``/tasks`` — 我的填报任务: the reports the signed-in user fills in or decides on;
* ``/plans/{id}/cycle`` — data ownership (数据责任单位) and the plan's periods, with the forms to
  assign owners and open a period;
* ``/periods/{id}`` — completeness and timeliness per department and region;
* ``/reports/{id}`` — one report: its values (entry while editable), the returned values with
  the reviewer's comments, the transitions the user may take, and the history.

Routes are thin: every rule (who may, which state, the lock) is in :mod:`ecociv.cycle`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from ecociv.cycle import approval, ownership, periods, tasks
from ecociv.cycle.roles import roles_for
from ecociv.store.errors import ValidationError
from ecociv.store.models import utcnow
from ecociv.store.services import departments, evidence, indicators, observations, plans, regions
from ecociv.store.services.access import can_edit
from ecociv.web.api_types import safe_text
from ecociv.web.deps import CurrentUser, DbSession, Writer
from ecociv.web.pages import page
from ecociv.web.present import plan_dict

router = APIRouter()
if TYPE_CHECKING:  # a checked, limited str (mypy cannot read the factory's Annotated)
    Text = str
else:
    Text = safe_text(2000)
Comment = Annotated[Text | None, Form()]
Version = Annotated[int, Form(ge=1)]


def summary_dict(summary: tasks.ReportSummary) -> dict[str, Any]:
    data = asdict(summary)
    data["deadline"] = summary.deadline.isoformat()
    data["first_submitted_at"] = (
        summary.first_submitted_at.isoformat() if summary.first_submitted_at else None
    )
    data["first_submitted_local"] = _local(summary.first_submitted_at)
    data["complete"] = summary.complete
    return data


def _local(moment: datetime | None) -> str | None:
    """A time as Beijing shows it (北京时间), to the minute."""
    return moment.astimezone(tasks.BEIJING).strftime("%Y-%m-%d %H:%M") if moment else None


def _state_labels() -> dict[str, dict[str, str]]:
    states = approval.workflow().definition.states
    return {key: {"zh": s.zh, "en": s.en} for key, s in states.items()}


@page(router, "/tasks", "cycle_tasks.html")
def my_tasks(db: DbSession, user: CurrentUser) -> dict[str, Any]:
    reports = tasks.my_reports(db, user, utcnow())
    return {"reports": [summary_dict(r) for r in reports], "states": _state_labels()}


@page(router, "/plans/{plan_id}/cycle", "cycle_plan.html")
def plan_cycle(plan_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    plan = plans.get_plan(db, plan_id)
    owners = ownership.owners(db, plan_id)
    known = {d.id: d for d in departments.list_departments(db)}
    rows = []
    for row in indicators.list_indicators(db, plan_id):
        owner = owners.get(row.code)
        department = known.get(owner.department_id) if owner else None
        rows.append(
            {
                "code": row.code,
                "seq": row.seq,
                "name": row.name,
                "department_code": department.code if department else None,
                "department": department.name if department else None,
                "frequency": owner.frequency if owner else None,
            }
        )
    return {
        "plan": plan_dict(plan),
        "editable": can_edit(user, plan.region),
        "indicators": rows,
        "departments": [{"code": d.code, "name": d.name} for d in known.values() if d.active],
        "regions": [
            {"code": r.code, "name": r.name, "level": r.level}
            for r in regions.subtree(db, plan.region.code)
        ],
        "periods": [
            {
                "id": p.id,
                "year": p.year,
                "deadline": p.deadline.isoformat(),
                "reports": len(p.reports),
            }
            for p in periods.list_periods(db, plan_id)
        ],
    }


@router.post("/plans/{plan_id}/owners", name="set_owner")
def set_owner(
    plan_id: int,
    db: DbSession,
    user: Writer,
    indicator_code: Annotated[str, Form(max_length=100)],
    department_code: Annotated[str, Form(max_length=64)],
    frequency: Annotated[str, Form(max_length=16)] = "annual",
) -> RedirectResponse:
    ownership.set_owner(
        db,
        user,
        plan_id=plan_id,
        indicator_code=indicator_code,
        department_code=department_code,
        frequency=frequency,
    )
    return RedirectResponse(f"/plans/{plan_id}/cycle", status_code=303)


@router.post("/plans/{plan_id}/periods", name="open_period")
def open_period(
    plan_id: int,
    db: DbSession,
    user: Writer,
    year: Annotated[int, Form(ge=1949, le=2100)],
    deadline: Annotated[date, Form()],
    region: Annotated[list[str] | None, Form(max_length=32)] = None,
) -> RedirectResponse:
    """Open the period for the regions chosen (the plan's own region when none is)."""
    period = periods.open_period(
        db, user, plan_id=plan_id, year=year, deadline=deadline, region_codes=region or ()
    )
    return RedirectResponse(f"/periods/{period.id}", status_code=303)


@page(router, "/periods/{period_id}", "cycle_period.html")
def period_page(period_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    period = periods.get_period(db, period_id)
    overview = tasks.period_overview(db, period, utcnow())
    return {
        "plan": plan_dict(period.plan),
        "period": {"id": period.id, "year": period.year, "deadline": period.deadline.isoformat()},
        "reports": [summary_dict(r) for r in overview["reports"]],
        "by_department": overview["by_department"],
        "by_region": overview["by_region"],
        "states": _state_labels(),
    }


@page(router, "/reports/{report_id}", "cycle_report.html")
def report_page(report_id: int, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    report = periods.get_report(db, report_id)
    summary = tasks.summarise(db, report, utcnow(), with_lines=True)
    roles = roles_for(user, report.region, report.department_id)
    flow = approval.workflow()
    files = {
        line.code: [
            {"id": a.id, "filename": a.filename, "size": a.size}
            for a in evidence.list_attachments(
                db, "observation", f"{summary.region_code}/{line.code}/{summary.year}"
            )
        ]
        for line in summary.lines
    }
    return {
        "report": summary_dict(summary),
        "evidence": files,
        "plan": plan_dict(report.period.plan),
        "can_fill": summary.editable and "filler" in roles,
        "can_return": any(
            t.name == approval.RETURN_TRANSITION for t in flow.available(report.state, roles)
        ),
        "transitions": [
            {"name": t.name, "zh": t.zh, "en": t.en, "comment": t.comment}
            for t in flow.available(report.state, roles)
            if t.name != approval.RETURN_TRANSITION
        ],
        "state": {"zh": flow.state_label(report.state), "en": flow.state_label(report.state, "en")},
        "states": _state_labels(),
        "steps": [
            {
                "transition": s.transition,
                "from": s.from_state,
                "to": s.to_state,
                "actor": s.actor,
                "comment": s.comment,
                "at": s.at.isoformat(),
                "at_local": _local(s.at),
            }
            for s in report.steps
        ],
    }


@router.post("/reports/{report_id}/values", name="report_value")
def save_report_value(
    report_id: int,
    db: DbSession,
    user: Writer,
    indicator_code: Annotated[str, Form(max_length=100)],
    text: Annotated[Text, Form()],
    source: Comment = None,
    note: Comment = None,
    expected_version: Annotated[int | None, Form(ge=1)] = None,
) -> RedirectResponse:
    """Enter or correct one value of the report (the lock and the owner check are the
    observation service's)."""
    report = periods.get_report(db, report_id)
    observations.save_observation(
        db,
        user,
        region_code=report.region.code,
        indicator_code=indicator_code,
        year=report.period.year,
        text=text,
        source=source or None,
        note=note or None,
        expected_version=expected_version,
    )
    return RedirectResponse(f"/reports/{report_id}#line-{indicator_code}", status_code=303)


@router.post("/reports/{report_id}/transition", name="report_transition")
def report_transition(
    report_id: int,
    db: DbSession,
    user: CurrentUser,
    transition: Annotated[str, Form(max_length=32)],
    expected_version: Version,
    comment: Comment = None,
    returned_code: Annotated[list[str] | None, Form(max_length=100)] = None,
    returned_comment: Annotated[list[Text] | None, Form()] = None,
) -> RedirectResponse:
    """Take a transition; a return lists the values sent back, each with its comment
    (``returned_code`` and ``returned_comment`` pair up in the form's order)."""
    codes, comments = returned_code or [], returned_comment or []
    if len(codes) != len(comments):
        raise ValidationError(
            "退回的指标与退回意见数目不一致，请刷新页面后重试",
            "the returned values and their comments do not pair up; reload the page and retry",
        )
    approval.fire(
        db,
        user,
        report_id,
        transition,
        expected_version=expected_version,
        comment=comment,
        returned=dict(zip(codes, comments, strict=True)),
    )
    return RedirectResponse(f"/reports/{report_id}", status_code=303)
