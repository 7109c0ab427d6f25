"""Reminders of reporting deadlines (催报), sent in the app and, through the notification
e-mail job, by e-mail.

Rule (as data, :data:`REMIND_DAYS_BEFORE`): a report still being filled in (draft or
returned) reminds its department's fillers 7 days and 1 day before the deadline and on the
day itself; once the deadline has passed it reminds them, and its reviewers, every day until
it is submitted.  Each reminder has a dedupe key of report and Beijing date, so running the
job twice a day sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.cycle.approval import editable_states
from ecociv.cycle.notices import LINK, holders
from ecociv.cycle.tasks import BEIJING
from ecociv.notify import notify
from ecociv.store.tables.cycle import PeriodReport

REMIND_DAYS_BEFORE = (7, 1, 0)


def send_reminders(session: Session, now: datetime) -> int:
    """Remind about every open report due now; the number of reports reminded about."""
    today = now.astimezone(BEIJING).date()
    reminded = 0
    reports = session.scalars(
        select(PeriodReport).where(PeriodReport.state.in_(sorted(editable_states())))
    )
    for report in reports:
        period = report.period
        days_left = (period.deadline - today).days
        if days_left < 0:
            recipients = holders(session, report, "filler") + holders(session, report, "reviewer")
            subject = f"【逾期】{period.plan.name} {period.year} 年数据已逾期 {-days_left} 天未上报"
        elif days_left in REMIND_DAYS_BEFORE:
            recipients = holders(session, report, "filler")
            subject = f"【催报】{period.plan.name} {period.year} 年数据将于 {period.deadline.isoformat()} 截止"
        else:
            continue
        if not recipients:
            continue
        notify(
            session,
            recipients=recipients,
            kind="cycle.reminder",
            subject=subject,
            body=f"{report.region.name}：请于 {period.deadline.isoformat()} 前完成填报并上报。",
            link=LINK.format(id=report.id),
            dedupe_key=f"cycle-reminder:{report.id}:{today.isoformat()}",
        )
        reminded += 1
    return reminded
