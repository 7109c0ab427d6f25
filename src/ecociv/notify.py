"""Notifications in the app and by e-mail (SMTP, standard library ``smtplib``).

:func:`notify` adds messages inside the caller's transaction, so a hand-off and its notice
commit together; :func:`send_pending_email` (run by ``ecociv jobs run``) sends what has not
been sent to users with an address.  Without ``ECOCIV_SMTP_HOST`` nothing is e-mailed and the
messages stay in the app: the embedded default needs no mail server.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ecociv.settings import Settings
from ecociv.store.errors import NotFound
from ecociv.store.models import User, utcnow
from ecociv.store.tables.notifications import Notification

SUBJECT_MAX = 200
SMTP_TIMEOUT_S = 30
SEND_BATCH = 200


def notify(
    session: Session,
    *,
    recipients: Iterable[str],
    kind: str,
    subject: str,
    body: str,
    link: str | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Add one message per recipient (user names); a recipient who already has *dedupe_key*
    is skipped.  The new rows (flushed, in the caller's transaction)."""
    made: list[Notification] = []
    for name in dict.fromkeys(recipients):
        if dedupe_key is not None:
            seen = session.scalar(
                select(Notification.id).where(
                    Notification.recipient == name, Notification.dedupe_key == dedupe_key
                )
            )
            if seen is not None:
                continue
        row = Notification(
            recipient=name,
            kind=kind,
            subject=subject[:SUBJECT_MAX],
            body=body,
            link=link,
            dedupe_key=dedupe_key,
        )
        session.add(row)
        made.append(row)
    session.flush()
    return made


def inbox(session: Session, user_name: str, *, limit: int = 100) -> list[Notification]:
    query = select(Notification).where(Notification.recipient == user_name)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def unread_count(session: Session, user_name: str) -> int:
    query = select(func.count(Notification.id)).where(
        Notification.recipient == user_name, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def mark_read(session: Session, user_name: str, ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read (*ids*, or all); how many changed.  An id that is not
    one of the user's messages is :class:`NotFound`: nobody marks another's mail."""
    statement = update(Notification).where(
        Notification.recipient == user_name, Notification.read_at.is_(None)
    )
    if ids is not None:
        wanted = set(ids)
        own = set(
            session.scalars(
                select(Notification.id).where(
                    Notification.recipient == user_name, Notification.id.in_(wanted)
                )
            )
        )
        if wanted - own:
            missing = min(wanted - own)
            raise NotFound(
                f"提醒 {missing} 不存在",
                f"notification {missing} does not exist",
                where=str(missing),
            )
        statement = statement.where(Notification.id.in_(wanted))
    result = session.execute(statement.values(read_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def send_pending_email(session: Session, settings: Settings) -> int:
    """E-mail every unsent message whose recipient has an address; how many were sent.

    A message that the server refuses keeps ``emailed_at`` empty and records the reason in
    ``email_error``, so the next run tries again and an administrator can see why.
    """
    if not settings.smtp_host:
        return 0
    query = (
        select(Notification, User.email)
        .join(User, User.name == Notification.recipient)
        .where(Notification.emailed_at.is_(None), User.email.is_not(None), User.active)
        .order_by(Notification.id)
        .limit(SEND_BATCH)
    )
    pending = list(session.execute(query))
    if not pending:
        return 0
    sent = 0
    with _connect(settings) as smtp:
        for row, address in pending:
            try:
                smtp.send_message(_message(settings, row, address))
            except smtplib.SMTPException as exc:
                row.email_error = str(exc)[:300]
                continue
            row.emailed_at = utcnow()
            row.email_error = None
            sent += 1
    session.flush()
    return sent


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
    if settings.smtp_starttls:
        smtp.starttls()
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password)
    return smtp


def _message(settings: Settings, row: Notification, address: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.smtp_sender.rpartition("@")[2] or None)
    body = row.body
    if row.link:
        body = f"{body}\n\n{settings.public_url.rstrip('/')}{row.link}"
    message.set_content(body)
    return message
