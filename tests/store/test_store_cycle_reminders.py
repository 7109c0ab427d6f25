"""Deadline reminders (催报): who is reminded when, never twice a day, and delivered by e-mail
through the ``email`` job to a local SMTP server started in the test."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from cycle_builders import DISTRICT, Cycle, build_cycle
from sqlalchemy import select
from sqlalchemy.orm import Session
from store_builders import ADMIN
from test_store_foundation import _Inbox

from ecociv.cycle import approval, periods
from ecociv.cycle.reminders import send_reminders
from ecociv.jobs import registered
from ecociv.settings import load_settings
from ecociv.store.services import observations, users
from ecociv.store.tables.notifications import Notification


@pytest.fixture
def cycle(tree: Session) -> Cycle:
    return build_cycle(tree)


def _beijing_noon(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T04:00:00").replace(tzinfo=UTC)


def _notices(session: Session) -> list[tuple[str, str]]:
    rows = session.scalars(select(Notification).order_by(Notification.id))
    return [(row.recipient, row.subject) for row in rows if row.kind == "cycle.reminder"]


def test_who_is_reminded_and_when(cycle: Cycle) -> None:
    session = cycle.session
    assert send_reminders(session, _beijing_noon("2024-03-20")) == 0  # 11 days before
    assert send_reminders(session, _beijing_noon("2024-03-24")) == 2  # 7 days before
    assert send_reminders(session, _beijing_noon("2024-03-24")) == 2  # same day: deduplicated
    assert sorted(r for r, _ in _notices(session)) == ["filler_env", "filler_nr"]
    for name in ("细颗粒物（PM2.5）年均浓度", "空气质量优良天数比例"):
        observations.save_observation(
            session,
            ADMIN,
            region_code=DISTRICT,
            indicator_code=cycle.code(name),
            year=2023,
            text="30",
        )
    report = periods.get_report(session, cycle.reports["env"])
    approval.fire(session, ADMIN, report.id, "submit", expected_version=report.version)
    assert send_reminders(session, _beijing_noon("2024-03-30")) == 1  # 1 day before: nr only
    assert send_reminders(session, _beijing_noon("2024-04-02")) == 1  # overdue
    overdue = [(r, s) for r, s in _notices(session) if "逾期" in s]
    assert sorted(r for r, _ in overdue) == ["filler_nr", "reviewer"]
    assert "已逾期 2 天未上报" in overdue[0][1]


def test_the_jobs_write_and_email_the_reminders(cycle: Cycle, tmp_path) -> None:
    session = cycle.session
    users.update_user(session, ADMIN, "filler_nr", email="nr@bureau.test")
    inbox = _Inbox()
    try:
        settings = load_settings(
            data_dir=tmp_path,
            smtp_host="127.0.0.1",
            smtp_port=inbox.port,
            smtp_sender="ecociv@bureau.test",
            public_url="http://127.0.0.1:8000",
        )
        jobs = registered()
        assert list(jobs).index("cycle_reminders") < list(jobs).index("email")
        now = _beijing_noon("2024-03-31")
        summaries = [
            jobs[name].run(session, settings, now) for name in ("cycle_reminders", "email")
        ]
    finally:
        inbox.close()
    assert summaries[0] == ("已提醒 2 个填报任务", "2 report(s) reminded")
    [mail] = [message_from_bytes(m, policy=default_policy) for m in inbox.messages]
    assert mail["To"] == "nr@bureau.test"
    assert mail["Subject"].startswith("【催报】") and "2024-03-31 截止" in mail["Subject"]
    assert f"http://127.0.0.1:8000/reports/{cycle.reports['nr']}" in mail.get_body().get_content()
