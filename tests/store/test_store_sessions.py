"""Server-side sessions and sign-in throttling on SQLite and PostgreSQL (issue 18 #5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv.store.errors import LoginThrottled
from ecociv.store.models import AuditEntry, LoginAttempt, UserSession
from ecociv.store.services import login_throttle, sessions, users
from ecociv.store.services.login_throttle import LoginLimits

LIMITS = LoginLimits(per_account=3, per_address=5, window_minutes=15)


@pytest.fixture
def alice(tree: Session):
    user = users.create_user(
        tree, ADMIN, name="alice", password="long password", role="editor", region_code="9901"
    )
    tree.commit()
    return user


def test_a_session_lives_until_revoked_or_expired(tree: Session, alice) -> None:
    first = sessions.open_session(tree, alice, hours=8, address="10.0.0.1")
    second = sessions.open_session(tree, alice, hours=8, address="10.0.0.2")
    tree.commit()
    assert sessions.session_user(tree, first) is alice
    assert sessions.session_user(tree, "not-a-key") is None
    assert tree.scalar(select(UserSession.key_hash).limit(1)) not in (first, second)
    sessions.revoke_session(tree, first)
    tree.commit()
    assert sessions.session_user(tree, first) is None
    assert sessions.session_user(tree, second) is alice
    row = tree.scalars(select(UserSession).where(UserSession.revoked_at.is_(None))).one()
    row.expires_at -= timedelta(hours=9)
    tree.commit()
    assert sessions.session_user(tree, second) is None


def test_a_password_change_or_deactivation_revokes_every_session(tree: Session, alice) -> None:
    keys = [sessions.open_session(tree, alice, hours=8, address=None) for _ in range(3)]
    users.set_password(tree, ADMIN, "alice", "another long one")
    assert [sessions.session_user(tree, key) for key in keys] == [None] * 3
    key = sessions.open_session(tree, alice, hours=8, address=None)
    users.update_user(tree, ADMIN, "alice", active=False)
    assert sessions.session_user(tree, key) is None


def test_failures_lock_the_account_and_are_audited(tree: Session, alice) -> None:
    for _ in range(LIMITS.per_account):
        login_throttle.check_allowed(tree, LIMITS, "alice", "10.0.0.1")
        login_throttle.record_attempt(tree, "alice", "10.0.0.1", succeeded=False)
    with pytest.raises(LoginThrottled) as locked:
        login_throttle.check_allowed(tree, LIMITS, "alice", "10.0.0.9")
    assert 0 < locked.value.retry_after_s <= 15 * 60 + 1
    login_throttle.check_allowed(tree, LIMITS, "bob", "10.0.0.9")
    actions = tree.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-4:] == ["login_failed"] * 3 + ["login_locked"]
    for attempt in tree.scalars(select(LoginAttempt)):
        attempt.at -= timedelta(minutes=LIMITS.window_minutes)
    login_throttle.check_allowed(tree, LIMITS, "alice", "10.0.0.1")


def test_failures_from_one_address_lock_the_address(tree: Session, alice) -> None:
    for number in range(LIMITS.per_address):
        login_throttle.record_attempt(tree, f"name-{number}", "10.0.0.7", succeeded=False)
    with pytest.raises(LoginThrottled):
        login_throttle.check_allowed(tree, LIMITS, "alice", "10.0.0.7")
    login_throttle.check_allowed(tree, LIMITS, "alice", "10.0.0.8")
