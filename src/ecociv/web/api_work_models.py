"""Request and response models of ``/api/v1/projects``, ``/api/v1/problems`` and
``/api/v1/tasks`` (they make those parts of the OpenAPI document)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ecociv.web.api_types import filled_text, number, safe_text, whole_number

Version = whole_number(1, 2**31 - 1)
Percent = number(0, 100)
Amount = number(0, 1e9)
Year = whole_number(1949, 2100)
Name = filled_text(200)
Text = safe_text(4000)
FilledText = filled_text(4000)
StepName = filled_text(32)
Code = filled_text(40)
Id = whole_number(1, 2**31 - 1)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day_only(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text is a date here (pydantic would also take a number of seconds
    since 1970, which the document does not offer)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise PydanticCustomError(
            "iso_date", "日期须写作 YYYY-MM-DD / a date is written YYYY-MM-DD", {}
        )
    return value


Day = Annotated[date, BeforeValidator(_iso_day_only)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class StepIn(_In):
    """A workflow step: its ``transition`` name (see ``available`` on the record), the
    ``expected_version`` read, and a comment where the step needs one."""

    transition: StepName
    expected_version: Version
    comment: Text | None = None


class StepOut(_Out):
    name: str
    zh: str
    en: str
    comment: str
    evidence: str


class AttachmentOut(_Out):
    id: int
    filename: str
    media_type: str
    size: int
    uploaded_by: str
    uploaded_at: str
    url: str


# --------------------------------------------------------------------------- projects


class EnrolIn(_In):
    plan_id: Id


class MilestoneOut(_Out):
    name: str
    planned: date
    actual: date | None


class FundingOut(_Out):
    source: str
    label: str
    amount_wan_yuan: float
    note: str | None


class DispatchReportIn(_In):
    """A 调度 report of the period; leave ``expected_version`` out to enter a new one."""

    progress_percent: Percent | None = None
    planned_progress_percent: Percent | None = None
    invested_period_wan_yuan: Amount | None = None
    invested_to_date_wan_yuan: Amount | None = None
    planned_year_wan_yuan: Amount | None = None
    milestones: list[MilestoneReachedIn] = Field(default_factory=list, max_length=100)
    """Milestones reached (or stated not reached, ``actual`` null) in this report."""
    problems: list[FilledText] = Field(default_factory=list, max_length=200)
    note: Text | None = None
    expected_version: Version | None = None


class MilestoneReachedIn(_In):
    name: Name
    actual: Day | None = None


class DispatchReportOut(_Out):
    period: str
    progress_percent: float | None
    planned_progress_percent: float | None
    invested_period_wan_yuan: float | None
    invested_to_date_wan_yuan: float | None
    planned_year_wan_yuan: float | None
    milestones: list[dict[str, Any]]
    problems: list[str]
    note: str | None
    version: int
    updated_by: str | None
    updated_at: str | None


class ChangeIn(_In):
    """A change request: ``field`` (location, scale, technical_plan, investment,
    period_start, period_end, lead_units) and its new value."""

    field: filled_text(32)
    new_value: int | float | Text | list[Name] | None = None
    reason: FilledText


class DecisionIn(_In):
    approve: bool
    comment: Text | None = None


class ChangeOut(_Out):
    id: int
    field: str
    label: str
    old_value: Any
    new_value: Any
    reason: str
    status: str
    requested_by: str | None
    requested_at: str | None
    decided_by: str | None
    decided_at: str | None
    decision_comment: str | None


class FundingIn(_In):
    amount_wan_yuan: Amount
    note: Text | None = None


class MilestoneIn(_In):
    name: Name
    planned: Day


class LinkIn(_In):
    indicator_code: filled_text(100)


class ProjectRecordOut(_Out):
    id: int
    plan_id: int
    region_code: str
    region_name: str
    name: str
    category: str | None
    period_start: int | None
    period_end: int | None
    investment_wan_yuan: float | None
    lead_units: list[str]
    state: str
    state_label: str
    state_dates: dict[str, str]
    location: str | None
    scale: str | None
    technical_plan: str | None
    report_frequency: str
    completed_wan_yuan: float
    version: int


class ProjectDetailOut(ProjectRecordOut):
    milestones: list[MilestoneOut]
    funding: list[FundingOut]
    indicator_codes: list[str]
    reports: list[DispatchReportOut]
    changes: list[ChangeOut]
    available: list[StepOut]
    attachments: list[AttachmentOut]


class CompletionOut(_Out):
    key: str
    planned_wan_yuan: float
    completed_wan_yuan: float
    projects: int
    rate: float | None


class LagOut(_Out):
    kind: str
    zh: str
    en: str


class LaggingOut(_Out):
    id: int
    name: str
    state: str
    period: str | None
    lags: list[LagOut]


# --------------------------------------------------------------------------- problems


class ProblemIn(_In):
    region_code: filled_text(32)
    source: filled_text(32)
    title: filled_text(300)
    category: filled_text(32)
    severity: filled_text(16)
    deadline: Day
    description: Text | None = None
    source_ref: Text | None = None
    goal: Text | None = None
    measures: Text | None = None
    responsible_leader: Text | None = None
    lead_unit: Code | None = None
    responsible_units: list[Code] = Field(default_factory=list, max_length=50)
    location: Text | None = None
    latitude: number(-90, 90) | None = None
    longitude: number(-180, 180) | None = None


class ProblemStepIn(StepIn):
    new_deadline: Day | None = None


class EventOut(_Out):
    action: str
    from_state: str | None
    to_state: str | None
    actor: str | None
    at: str
    comment: str | None
    details: dict[str, Any]


class ProblemOut(_Out):
    id: int
    region_code: str
    region_name: str
    source: str
    source_label: str
    source_ref: str | None
    title: str
    description: str | None
    category: str
    severity: str
    goal: str | None
    measures: str | None
    deadline: date
    original_deadline: date
    requested_deadline: date | None
    responsible_leader: str | None
    lead_unit: str | None
    responsible_units: list[str]
    location: str | None
    latitude: float | None
    longitude: float | None
    state: str
    state_label: str
    overdue: bool
    escalated_at: str | None
    closed_at: str | None
    version: int


class ProblemDetailOut(ProblemOut):
    events: list[EventOut]
    available: list[StepOut]
    attachments: list[AttachmentOut]


class RatesOut(_Out):
    key: str
    label: str
    total: int
    closed: int
    due: int
    closed_on_time: int
    overdue_open: int
    completion_rate: float | None
    on_time_rate: float | None


# --------------------------------------------------------------------------- tasks


class TaskIn(_In):
    plan_id: Id
    code: Code
    title: filled_text(500)
    deadline: Day
    chapter: Text | None = None
    measures: Text | None = None
    deliverables: Text | None = None
    year: Year | None = None
    indicator_codes: list[filled_text(100)] = Field(default_factory=list, max_length=50)


class AssignIn(_In):
    department_code: Code
    role: Literal["lead", "cooperate"]
    measures: Text | None = None
    deliverables: Text | None = None
    deadline: Day | None = None


class ProgressIn(_In):
    percent: Percent | None = None
    text: FilledText


class TaskReportOut(_Out):
    action: str
    percent: float | None
    text: str | None
    actor: str | None
    at: str


class AssignmentOut(_Out):
    id: int
    task_id: int
    task_code: str
    task_title: str
    department_code: str
    department_name: str
    role: str
    measures: str | None
    deliverables: str | None
    deadline: date
    state: str
    state_label: str
    overdue: bool
    version: int


class AssignmentDetailOut(AssignmentOut):
    reports: list[TaskReportOut]
    available: list[StepOut]
    attachments: list[AttachmentOut]


class TaskOut(_Out):
    id: int
    plan_id: int
    code: str
    title: str
    chapter: str | None
    measures: str | None
    deliverables: str | None
    deadline: date
    year: int | None
    indicator_codes: list[str]
    state: str
    assignments: list[AssignmentOut]


DispatchReportIn.model_rebuild()
