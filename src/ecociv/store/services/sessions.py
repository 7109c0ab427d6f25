"""Server-side browser sessions (会话): opened at sign-in, revoked at sign-out and when the
password changes, so that a copied cookie stops working at once.

The cookie holds a random key (256 bits); the store keeps only its SHA-256, as for API tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload

from ecociv.store.models import User, UserSession, utcnow


def open_session(session: Session, user: User, *, hours: float, address: str | None) -> str:
    """A new session for *user* valid for *hours*; returns the key the cookie carries."""
    now = utcnow()
    session.execute(delete(UserSession).where(UserSession.expires_at < now))
    key = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user=user,
            key_hash=key_hash(key),
            address=(address or "")[:64] or None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return key


def session_user(session: Session, key: str) -> User | None:
    """The active user of the live (unrevoked, unexpired) session *key*, else ``None``."""
    found = session.scalar(
        select(UserSession)
        .options(joinedload(UserSession.user))  # one statement per request, as before
        .where(UserSession.key_hash == key_hash(key))
    )
    if found is None or found.revoked_at is not None or found.expires_at <= utcnow():
        return None
    return found.user if found.user.active else None


def revoke_session(session: Session, key: str) -> None:
    """End one session (signing out)."""
    session.execute(
        update(UserSession)
        .where(UserSession.key_hash == key_hash(key), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_sessions(session: Session, user: User) -> int:
    """End every session of *user* (a password change, a deactivation); returns how many."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def key_hash(key: str) -> str:
    """What the store keeps of a session key (its SHA-256, hex)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
