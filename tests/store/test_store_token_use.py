"""A token's last-use time: checking a token never writes; the time is written by one
conditional UPDATE at most once a minute (issue 11: no writes on read paths)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv.store.services import users

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def token(session: Session):
    users.create_user(session, ADMIN, name="loader", password=None, role="viewer")
    token, secret = users.create_token(session, ADMIN, user_name="loader", token_name="etl")
    session.commit()
    return token, secret


def writes_during(session: Session, action) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
        session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_checking_a_token_never_writes(session: Session, token) -> None:
    stored, secret = token
    for _ in range(3):
        assert writes_during(session, lambda: users.verify_token(session, secret)) == []
    assert users.verify_token(session, secret).user.name == "loader"
    assert stored.last_used_at is None and not session.dirty


@pytest.mark.parametrize(
    ("later_s", "writes"), [(0, False), (1, False), (59.9, False), (60, True), (3600, True)]
)
def test_last_use_is_written_at_most_once_a_minute(
    session: Session, token, later_s: float, writes: bool
) -> None:
    stored, _ = token
    assert users.token_use_due(stored, T0)
    assert users.record_token_use(session, stored.id, T0) is True
    session.commit()
    session.refresh(stored)
    assert stored.last_used_at == T0
    later = T0 + timedelta(seconds=later_s)
    assert users.token_use_due(stored, later) is writes
    assert users.record_token_use(session, stored.id, later) is writes
    session.commit()
    session.refresh(stored)
    assert stored.last_used_at == (later if writes else T0)
