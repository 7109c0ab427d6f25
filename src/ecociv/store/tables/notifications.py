"""Notifications (提醒): a deadline, an overdue item, a hand-off — shown in the app, sent by e-mail.

One row per recipient.  ``dedupe_key`` makes a reminder idempotent: the scheduled job may run
every hour and still tell a user once that a task is overdue.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecociv.store.models import Base, utcnow


class Notification(Base):
    """One message to one user: what happened, where to look, whether read and e-mailed."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("recipient", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    email_error: Mapped[str | None] = mapped_column(String(300))
