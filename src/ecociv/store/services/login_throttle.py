"""Throttling of sign-in (登录限速): after too many failures the account, or the client
address, is locked out for a while; every failure and every lockout is in the audit log.

The limits are settings (``ECOCIV_LOGIN_*``, documented in :mod:`ecociv.settings` and
docs/platform.md).  An account counts its failures since its last successful sign-in within
the window; an address counts all of its failures within the window (it catches one client
trying many names).  While locked, the password is not even checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ecociv.store.errors import LoginThrottled
from ecociv.store.models import LoginAttempt, utcnow
from ecociv.store.services import audit

KEEP_ATTEMPTS = timedelta(days=1)
"""Attempts older than this are deleted (the audit log keeps the failures)."""


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window_minutes: float


def check_allowed(session: Session, limits: LoginLimits, name: str, address: str) -> None:
    """Raise :class:`LoginThrottled` (and audit it) when *name* or *address* is locked out."""
    now = utcnow()
    since = now - timedelta(minutes=limits.window_minutes)
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.name == name, LoginAttempt.succeeded.is_(True)
        )
    )
    account_since = max(since, last_success) if last_success is not None else since
    for scope, column, value, start, limit in (
        ("account", LoginAttempt.name, name, account_since, limits.per_account),
        ("address", LoginAttempt.address, address, since, limits.per_address),
    ):
        failures = session.scalars(
            select(LoginAttempt.at)
            .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at > start)
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        ).all()
        if len(failures) >= limit:
            until = _until(failures[-1], limits)
            audit.record(
                session,
                f"login:{address}"[:100],
                "login_locked",
                "user",
                name[:300],
                after={"scope": scope, "failures": len(failures), "until": until.isoformat()},
            )
            minutes = max(1, math.ceil((until - now).total_seconds() / 60))
            subject = (
                ("该账户", "this account") if scope == "account" else ("该地址", "this address")
            )
            raise LoginThrottled(
                f"{subject[0]}登录失败次数过多（{limits.window_minutes:g} 分钟内 {limit} 次），"
                f"请 {minutes} 分钟后再试",
                f"too many failed sign-ins for {subject[1]} ({limit} within "
                f"{limits.window_minutes:g} minutes); try again in {minutes} minutes",
                retry_after_s=int((until - now).total_seconds()) + 1,
            )


def record_attempt(session: Session, name: str, address: str, *, succeeded: bool) -> None:
    """Keep the attempt for the counts; a failure also goes to the audit log."""
    now = utcnow()
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
    session.add(LoginAttempt(at=now, name=name[:100], address=address[:64], succeeded=succeeded))
    if not succeeded:
        audit.record(session, f"login:{address}"[:100], "login_failed", "user", name[:300])
    session.flush()


def _until(oldest_counted: datetime, limits: LoginLimits) -> datetime:
    return oldest_counted + timedelta(minutes=limits.window_minutes)
