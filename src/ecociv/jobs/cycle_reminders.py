"""The ``cycle_reminders`` job: reminders of reporting deadlines (:mod:`ecociv.cycle.reminders`).

It runs before the ``email`` job (jobs run in name order), so one ``ecociv jobs run`` both
writes the day's reminders and e-mails them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ecociv.cycle.reminders import send_reminders
from ecociv.jobs import job
from ecociv.settings import Settings


@job("cycle_reminders", zh="填报截止提醒（催报）", en="reporting deadline reminders")
def remind(session: Session, settings: Settings, now: datetime) -> tuple[str, str]:
    count = send_reminders(session, now)
    return f"已提醒 {count} 个填报任务", f"{count} report(s) reminded"
