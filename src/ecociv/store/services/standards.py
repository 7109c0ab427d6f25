"""Standards in the store: the versioned catalog of :mod:`ecociv.standards` copied into the
``standard`` / ``standard_indicator`` tables, and the matcher that links a plan's indicator
names to standard indicator codes (with the matcher's confidence)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.standards import catalog, matcher
from ecociv.store.models import Standard, StandardIndicator
from ecociv.store.services import audit
from ecociv.store.services.access import require_admin
from ecociv.store.services.audit import Actor
from ecociv.store.services.plan_content import StandardMatcher

DEFAULT_MATCH_VERSION = "nat2021"
"""Plan indicators are linked to the current national standard (修订版, 2021)."""


def sync_standards(session: Session, actor: Actor) -> list[Standard]:
    """Copy every catalog version into the store (new versions added, existing ones refreshed)."""
    require_admin(actor)
    stored = []
    for version_id, standard in sorted(catalog.versions().items()):
        header = standard.version
        row = session.scalar(
            select(Standard).where(Standard.code == version_id, Standard.version == header.issued)
        )
        created = row is None
        if row is None:
            row = Standard(code=version_id, version=header.issued, name=header.title)
            session.add(row)
        row.name, row.source = header.title, header.document_no
        existing = {indicator.code: indicator for indicator in row.indicators}
        for indicator in standard.walk():
            item = existing.get(indicator.code) or StandardIndicator(code=indicator.code)
            item.name, item.unit, item.domain = indicator.name, indicator.unit, indicator.domain
            item.attribute = indicator.attribute
            item.definition = indicator.model_dump(mode="json", exclude={"items"}, by_alias=True)
            if indicator.code not in existing:
                row.indicators.append(item)
        session.flush()
        audit.record(
            session,
            actor,
            "create" if created else "refresh",
            "standard",
            version_id,
            after={"version": header.issued, "indicators": len(row.indicators)},
        )
        stored.append(row)
    return stored


def list_standards(session: Session) -> list[Standard]:
    return list(session.scalars(select(Standard).order_by(Standard.code)))


def standard_matcher(version: str = DEFAULT_MATCH_VERSION) -> StandardMatcher:
    """``(name, unit) -> (code, confidence) | None`` against *version* of the catalog."""

    def match(name: str, unit: str | None) -> tuple[str, float] | None:
        found = matcher.match(name, version)
        return (found.indicator.code, found.confidence) if found.indicator is not None else None

    return match
