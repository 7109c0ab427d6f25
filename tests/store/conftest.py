"""Fixtures of the store tests: a small region tree and plans built in the test."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from store_builders import ADMIN

from ecociv.store.services import regions


@pytest.fixture
def tree(session: Session) -> Session:
    """省 99 → 市 9901 (青岚市) → 区 990101 (西溪区), 990102 (东岭区)."""
    regions.create_region(session, ADMIN, code="99", name="测试省", level="province")
    regions.create_region(
        session, ADMIN, code="9901", name="青岚市", level="city", parent_code="99", admin_class="市"
    )
    regions.create_region(
        session,
        ADMIN,
        code="990101",
        name="西溪区",
        level="county",
        parent_code="9901",
        terrain="丘陵",
        admin_class="县",
    )
    regions.create_region(
        session,
        ADMIN,
        code="990102",
        name="东岭区",
        level="county",
        parent_code="9901",
        terrain="平原",
        coastal=True,
    )
    session.commit()
    return session


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with minimal cost: the same algorithm and code path, without a second per hash."""
    from argon2 import PasswordHasher

    from ecociv.store.services import users

    monkeypatch.setattr(
        users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
