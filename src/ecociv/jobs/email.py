"""The ``email`` job: send the notifications not yet e-mailed (:mod:`ecociv.notify`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ecociv.jobs import job
from ecociv.notify import send_pending_email
from ecociv.settings import Settings


@job("email", zh="发送提醒邮件", en="send notification e-mail")
def send_email(session: Session, settings: Settings, now: datetime) -> tuple[str, str]:
    if not settings.smtp_host:
        return (
            "未配置邮件服务器（ECOCIV_SMTP_HOST），提醒只在系统内显示",
            "no mail server set (ECOCIV_SMTP_HOST); notifications stay in the app",
        )
    sent = send_pending_email(session, settings)
    return f"已发送 {sent} 封邮件", f"{sent} e-mail(s) sent"
