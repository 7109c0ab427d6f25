"""A project's lifecycle (储备 → 前期 → 在建 → 完工 → 验收; 暂停, 终止, 调出), run by the
workflow definition ``project_lifecycle``; each step dated, authorised and audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecociv.projects.records import get_record, where_of
from ecociv.projects.roles import roles_for
from ecociv.store.models import utcnow
from ecociv.store.services import audit
from ecociv.store.services.audit import Actor
from ecociv.store.services.evidence import list_attachments
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.tables.projects_life import ProjectRecord
from ecociv.workflow import Workflow, load
from ecociv.workflow.definition import TransitionDef

WORKFLOW = "project_lifecycle"
EVIDENCE_KIND = "project"
"""``owner_kind`` of a project's files (photos, approvals) in the evidence store."""


def flow() -> Workflow:
    return load(WORKFLOW)


def available(actor: Actor, record: ProjectRecord) -> list[TransitionDef]:
    """The steps *actor* may take on the project now."""
    return flow().available(record.state, roles_for(actor, record.region))


def advance(
    session: Session,
    actor: Actor,
    record_id: int,
    transition: str,
    *,
    expected_version: int,
    comment: str | None = None,
    on: date | None = None,
) -> ProjectRecord:
    """Take *transition* (a step of ``project_lifecycle``) from the version read; the new
    state is dated *on* (today by default)."""
    record = get_record(session, record_id)
    where = where_of(record)
    check_version(record, expected_version, where)
    evidence = list_attachments(session, EVIDENCE_KIND, str(record.id))
    new_state = flow().fire(
        record.state,
        transition,
        roles_for(actor, record.region),
        comment=comment,
        has_evidence=bool(evidence),
    )
    before = audit.snapshot(record)
    record.state = new_state
    record.state_dates = {**record.state_dates, new_state: (on or date.today()).isoformat()}
    record.updated_by = audit.actor_name(actor)
    record.updated_at = utcnow()
    flush_guarded(session, where)
    audit.record(
        session,
        actor,
        transition[:32],
        "project_record",
        where,
        before=before,
        after={**audit.snapshot(record), "comment": (comment or "").strip() or None},
    )
    return record
