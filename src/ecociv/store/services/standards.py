"""Standards in the store: the catalog of :mod:`ecociv.standards` copied into tables, and the
matcher that links a plan's indicator names to standard indicator codes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ecociv.store.services.plan_content import StandardMatcher


def standard_matcher(session: Session) -> StandardMatcher | None:
    """``(name, unit) -> (code, confidence) | None`` from the standards catalog, when present."""
    return None
