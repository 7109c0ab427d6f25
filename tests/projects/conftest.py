"""Fixtures of the project-library tests: a region tree with one plan, its projects enrolled."""

from __future__ import annotations

import pytest
from project_builders import ADMIN, build_tree, import_plan
from sqlalchemy.orm import Session

from ecociv.projects import records


@pytest.fixture
def library(session: Session) -> tuple[Session, int]:
    """(session, plan id) with the plan's three projects in the library (committed)."""
    build_tree(session)
    plan_id = import_plan(session)
    records.enrol_plan(session, ADMIN, plan_id)
    session.commit()
    return session, plan_id


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from ecociv.store.services import users

    monkeypatch.setattr(
        users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
