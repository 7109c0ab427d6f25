"""What a rendered page depends on besides its address: one statement, asked per request.

A page of the 驾驶舱 shows store data as of the store's revision (the latest audit entry,
:mod:`ecociv.store.services.assessment_cache`), to a signed-in user whose session is live, with
the unread count of their notifications in the navigation.  :func:`page_state` asks all three at
once, so that a kept rendering of the page (:mod:`ecociv.web.page_cache`) can be served, or
refused, for the price of one indexed query instead of the page's own dozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Select, bindparam, func, select

from ecociv.store.models import User, UserSession, utcnow
from ecociv.store.services.assessment_cache import revision_query
from ecociv.store.services.sessions import key_hash
from ecociv.store.tables.notifications import Notification


@dataclass(frozen=True)
class PageState:
    """The store's revision and the asker's unread count (their session is live)."""

    revision: int
    user_id: int
    unread: int


def _statement() -> Select[tuple[int | None, int, int | None, datetime | None, datetime, bool]]:
    unread = (
        select(func.count(Notification.id))
        .where(Notification.recipient == User.name, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    return (
        select(
            revision_query().scalar_subquery(),
            User.id,
            unread,
            UserSession.revoked_at,
            UserSession.expires_at,
            User.active,
        )
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == bindparam("hashed"))
    )


STATEMENT = _statement()
"""Built once: the statement is asked on every request of a cached page."""


def page_state(connection: Connection, session_key: str) -> PageState | None:
    """The state for the browser session *session_key*; ``None`` when the session is unknown,
    revoked or expired, or its user deactivated (the page itself then says so)."""
    row = connection.execute(STATEMENT, {"hashed": key_hash(session_key)}).first()
    if row is None:
        return None
    revision, user_id, unread, revoked_at, expires_at, active = row
    if revoked_at is not None or expires_at <= utcnow() or not active:
        return None
    return PageState(revision=revision or 0, user_id=user_id, unread=unread or 0)
