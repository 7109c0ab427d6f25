"""Server-side sessions and sign-in throttling on SQLite and PostgreSQL (issue 18 #5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv import notify
from ecociv.store.errors import LoginThrottled
from ecociv.store.models import AuditEntry, LoginAttempt, UserSession
from ecociv.store.services import login_throttle, sessions, users
from ecociv.store.services.assessment_cache import data_revision
from ecociv.store.services.login_throttle import LoginLimits
from ecociv.store.services.page_state import PageState, page_state

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


def test_the_page_state_names_the_revision_the_user_and_the_unread_count(
    tree: Session, alice
) -> None:
    key = sessions.open_session(tree, alice, hours=8, address=None)
    tree.commit()
    state = page_state(tree.connection(), key)
    assert state == PageState(revision=data_revision(tree), user_id=alice.id, unread=0)
    notify.notify(tree, recipients=["alice", "bob"], kind="handoff", subject="交办", body="…")
    notify.notify(tree, recipients=["alice"], kind="handoff", subject="再交办", body="…")
    tree.commit()
    before = page_state(tree.connection(), key)
    assert before.unread == 2
    users.update_user(tree, ADMIN, "alice", email="alice@example.org")  # an audited write
    tree.commit()
    assert page_state(tree.connection(), key).revision > before.revision
    assert page_state(tree.connection(), "not-a-key") is None


def test_no_page_state_for_a_dead_session(tree: Session, alice) -> None:
    revoked, expired, live = (
        sessions.open_session(tree, alice, hours=8, address=None) for _ in "abc"
    )
    sessions.revoke_session(tree, revoked)
    row = tree.scalars(
        select(UserSession).where(UserSession.key_hash == sessions.key_hash(expired))
    ).one()
    row.expires_at -= timedelta(hours=9)
    tree.commit()
    assert page_state(tree.connection(), revoked) is None
    assert page_state(tree.connection(), expired) is None
    assert page_state(tree.connection(), live) is not None
    alice.active = False  # as a deactivation leaves the row before its sessions are revoked
    tree.commit()
    assert page_state(tree.connection(), live) is None
