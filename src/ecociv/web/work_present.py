"""Project, problem and task records as JSON-ready dicts: one shape for the API and the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ecociv.problems import flow as problem_flow
from ecociv.problems.vocab import sources
from ecociv.projects import lifecycle
from ecociv.projects.indicator_set import indicator_set
from ecociv.projects.summary import latest_to_date
from ecociv.projects.vocab import change_fields, funding_sources
from ecociv.store.models import User
from ecociv.store.services.departments import list_departments
from ecociv.store.services.evidence import list_attachments
from ecociv.store.tables.evidence import Attachment
from ecociv.store.tables.problems import Problem
from ecociv.store.tables.project_performance import ProjectEvaluation
from ecociv.store.tables.projects_life import DispatchReport, ProjectChange, ProjectRecord
from ecociv.store.tables.tasks import KeyTask, TaskAssignment
from ecociv.tasks import progress
from ecociv.tasks.records import task_state
from ecociv.workflow.definition import TransitionDef


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def step_dict(move: TransitionDef) -> dict[str, Any]:
    return {
        "name": move.name,
        "zh": move.zh,
        "en": move.en,
        "comment": move.comment,
        "evidence": move.evidence,
    }


def attachment_dict(row: Attachment) -> dict[str, Any]:
    return {
        "id": row.id,
        "filename": row.filename,
        "media_type": row.media_type,
        "size": row.size,
        "uploaded_by": row.uploaded_by,
        "uploaded_at": row.uploaded_at.isoformat(),
        "url": f"/evidence/{row.id}",
    }


def record_dict(record: ProjectRecord) -> dict[str, Any]:
    project = record.project
    return {
        "id": record.id,
        "plan_id": record.plan_id,
        "region_code": record.region.code,
        "region_name": record.region.name,
        "name": project.name,
        "category": project.category,
        "period_start": project.period_start,
        "period_end": project.period_end,
        "investment_wan_yuan": project.investment_wan_yuan,
        "lead_units": list(project.lead_units),
        "state": record.state,
        "state_label": lifecycle.flow().state_label(record.state),
        "state_label_en": lifecycle.flow().state_label(record.state, "en"),
        "state_dates": dict(record.state_dates),
        "state_date_labels": {
            lifecycle.flow().state_label(state): day for state, day in record.state_dates.items()
        },
        "location": record.location,
        "scale": record.scale,
        "technical_plan": record.technical_plan,
        "report_frequency": record.report_frequency,
        "completed_wan_yuan": latest_to_date(record),
        "version": record.version,
    }


def report_dict(report: DispatchReport) -> dict[str, Any]:
    return {
        "period": report.period,
        "progress_percent": report.progress_percent,
        "planned_progress_percent": report.planned_progress_percent,
        "invested_period_wan_yuan": report.invested_period_wan_yuan,
        "invested_to_date_wan_yuan": report.invested_to_date_wan_yuan,
        "planned_year_wan_yuan": report.planned_year_wan_yuan,
        "milestones": list(report.milestones),
        "problems": list(report.problems),
        "note": report.note,
        "version": report.version,
        "updated_by": report.updated_by,
        "updated_at": _iso(report.updated_at),
    }


def change_dict(change: ProjectChange) -> dict[str, Any]:
    spec = change_fields().get(change.field)
    return {
        "id": change.id,
        "field": change.field,
        "label": spec.zh if spec else change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "reason": change.reason,
        "status": change.status,
        "requested_by": change.requested_by,
        "requested_at": _iso(change.requested_at),
        "decided_by": change.decided_by,
        "decided_at": _iso(change.decided_at),
        "decision_comment": change.decision_comment,
    }


def evaluation_dict(row: ProjectEvaluation) -> dict[str, Any]:
    grade = next((g for g in indicator_set().grades if g.code == row.grade), None)
    return {
        "id": row.id,
        "year": row.year,
        "indicator_set_version": row.indicator_set_version,
        "evaluator": row.evaluator,
        "evaluated_on": row.evaluated_on.isoformat(),
        "scores": row.scores,
        "total": row.total,
        "grade": row.grade,
        "grade_label": grade.zh if grade else row.grade,
        "comment": row.comment,
        "version": row.version,
        "updated_by": row.updated_by,
    }


def record_detail(
    session: Session, record: ProjectRecord, user: User, changes: list[ProjectChange]
) -> dict[str, Any]:
    funding = funding_sources()
    return {
        **record_dict(record),
        "milestones": [
            {"name": m.name, "planned": m.planned, "actual": m.actual} for m in record.milestones
        ],
        "funding": [
            {
                "source": f.source,
                "label": funding[f.source].zh if f.source in funding else f.source,
                "amount_wan_yuan": f.amount_wan_yuan,
                "note": f.note,
            }
            for f in record.funding
        ],
        "indicator_codes": [link.indicator_code for link in record.indicator_links],
        "reports": [report_dict(r) for r in record.reports],
        "changes": [change_dict(c) for c in changes],
        "available": [step_dict(m) for m in lifecycle.available(user, record)],
        "attachments": [
            attachment_dict(a)
            for a in list_attachments(session, lifecycle.EVIDENCE_KIND, str(record.id))
        ],
    }


def problem_dict(problem: Problem, today: date | None = None) -> dict[str, Any]:
    flow = problem_flow.flow()
    today = today or date.today()
    source = sources().get(problem.source)
    return {
        "id": problem.id,
        "region_code": problem.region.code,
        "region_name": problem.region.name,
        "source": problem.source,
        "source_label": source.zh if source else problem.source,
        "source_ref": problem.source_ref,
        "title": problem.title,
        "description": problem.description,
        "category": problem.category,
        "severity": problem.severity,
        "goal": problem.goal,
        "measures": problem.measures,
        "deadline": problem.deadline,
        "original_deadline": problem.original_deadline,
        "requested_deadline": problem.requested_deadline,
        "responsible_leader": problem.responsible_leader,
        "lead_unit": problem.lead_unit,
        "responsible_units": list(problem.responsible_units),
        "location": problem.location,
        "latitude": problem.latitude,
        "longitude": problem.longitude,
        "state": problem.state,
        "state_label": flow.state_label(problem.state),
        "state_label_en": flow.state_label(problem.state, "en"),
        "overdue": not flow.is_terminal(problem.state) and problem.deadline < today,
        "ended": flow.is_terminal(problem.state),
        "escalated_at": _iso(problem.escalated_at),
        "closed_at": _iso(problem.closed_at),
        "version": problem.version,
    }


EVENT_LABELS = {
    "create": {"zh": "登记", "en": "recorded"},
    "escalate": {"zh": "逾期督办", "en": "escalated as overdue"},
}
"""Events that are no workflow step: the record made, and an overdue escalation."""


def _step_label(action: str, lang: str = "zh") -> str:
    if action in EVENT_LABELS:
        return EVENT_LABELS[action][lang]
    return next(
        (
            m.zh if lang == "zh" else m.en
            for m in problem_flow.flow().definition.transitions
            if m.name == action
        ),
        action,
    )


def problem_detail(session: Session, problem: Problem, user: User) -> dict[str, Any]:
    flow = problem_flow.flow()
    names = {d.code: d.name for d in list_departments(session)}
    return {
        "lead_unit_name": names.get(problem.lead_unit or "", problem.lead_unit),
        "unit_names": [names.get(code, code) for code in problem.responsible_units],
        **problem_dict(problem),
        "events": [
            {
                "action": e.action,
                "action_label": _step_label(e.action),
                "action_label_en": _step_label(e.action, "en"),
                "state_label": flow.state_label(e.to_state) if e.to_state else None,
                "state_label_en": flow.state_label(e.to_state, "en") if e.to_state else None,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor,
                "at": e.at.isoformat(),
                "comment": e.comment,
                "details": dict(e.details),
            }
            for e in problem.events
        ],
        "available": [step_dict(m) for m in problem_flow.available(session, user, problem)],
        "attachments": [
            attachment_dict(a)
            for a in list_attachments(session, problem_flow.EVIDENCE_KIND, str(problem.id))
        ],
    }


def assignment_dict(assignment: TaskAssignment, today: date | None = None) -> dict[str, Any]:
    flow = progress.flow()
    today = today or date.today()
    return {
        "id": assignment.id,
        "task_id": assignment.task_id,
        "task_code": assignment.task.code,
        "task_title": assignment.task.title,
        "department_code": assignment.department.code,
        "department_name": assignment.department.name,
        "role": assignment.role,
        "measures": assignment.measures,
        "deliverables": assignment.deliverables,
        "deadline": assignment.deadline,
        "state": assignment.state,
        "state_label": flow.state_label(assignment.state),
        "state_label_en": flow.state_label(assignment.state, "en"),
        "overdue": not flow.is_terminal(assignment.state) and assignment.deadline < today,
        "ended": flow.is_terminal(assignment.state),
        "version": assignment.version,
    }


def assignment_detail(session: Session, assignment: TaskAssignment, user: User) -> dict[str, Any]:
    return {
        **assignment_dict(assignment),
        "reports": [
            {
                "action": r.action,
                "label": "" if r.action == "report" else _task_step_label(r.action),
                "label_en": "" if r.action == "report" else _task_step_label(r.action, "en"),
                "percent": r.percent,
                "text": r.text,
                "actor": r.actor,
                "at": r.at.isoformat(),
            }
            for r in assignment.reports
        ],
        "available": [step_dict(m) for m in progress.available(session, user, assignment)],
        "attachments": [
            attachment_dict(a)
            for a in list_attachments(session, progress.EVIDENCE_KIND, str(assignment.id))
        ],
    }


def _task_step_label(action: str, lang: str = "zh") -> str:
    return next(
        (
            m.zh if lang == "zh" else m.en
            for m in progress.flow().definition.transitions
            if m.name == action
        ),
        action,
    )


def task_dict(task: KeyTask) -> dict[str, Any]:
    return {
        "id": task.id,
        "plan_id": task.plan_id,
        "code": task.code,
        "title": task.title,
        "chapter": task.chapter,
        "measures": task.measures,
        "deliverables": task.deliverables,
        "deadline": task.deadline,
        "year": task.year,
        "indicator_codes": list(task.indicator_codes),
        "state": task_state(task),
        "assignments": [assignment_dict(a) for a in task.assignments],
    }
