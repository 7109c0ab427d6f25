"""The ``problems_overdue`` job: escalate problems past their 完成时限
(:mod:`ecociv.problems.escalation`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ecociv.jobs import job
from ecociv.problems.escalation import escalate_overdue
from ecociv.settings import Settings


@job("problems_overdue", zh="问题整改逾期督办", en="escalate overdue problems")
def problems_overdue(session: Session, settings: Settings, now: datetime) -> tuple[str, str]:
    escalated = escalate_overdue(session, now)
    return f"逾期督办 {len(escalated)} 个问题", f"{len(escalated)} overdue problem(s) escalated"
