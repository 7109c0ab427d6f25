"""A plan's review data: the column mapping to reuse on re-import, the check findings of its
current version, and the findings a reviewer accepted as is (``docs/check-json.md``)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.models import AcceptedFinding
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.plans import find_plan, get_plan, get_version

FINDING_ID = re.compile(r"[a-z_]+(\.[a-z_]+)*:[0-9a-f]{12}")
"""``<kind>:<12 hex>`` (``docs/check-json.md``, stable ids)."""


def stored_column_map(session: Session, region_code: str, name: str) -> dict[str, Any] | None:
    """The column mapping saved with the current version of the region's plan *name*."""
    plan = find_plan(session, region_code, name)
    if plan is None or not plan.current_version:
        return None
    return get_version(session, plan.id).column_map


def accepted_ids(session: Session, plan_id: int) -> list[str]:
    query = select(AcceptedFinding.finding_id).where(AcceptedFinding.plan_id == plan_id)
    return sorted(session.scalars(query))


def current_findings(session: Session, plan_id: int) -> dict[str, Any]:
    """The findings of the plan's current version: ``shown`` (not accepted) and ``accepted``
    (hidden), and whether the version was checked at all (imported before the checks were
    stored: ``checked`` false)."""
    version = get_version(session, plan_id)
    stored = version.findings
    accepted = set(accepted_ids(session, plan_id))
    findings = (stored or {}).get("findings", [])
    return {
        "version": version.version,
        "checked": stored is not None,
        "shown": [f for f in findings if f["id"] not in accepted],
        "accepted": [f for f in findings if f["id"] in accepted],
    }


def accept_finding(session: Session, actor: Actor, plan_id: int, finding_id: str) -> None:
    """Mark *finding_id* of the plan accepted as is (idempotent; audited; the plan's region
    decides who may, as for every plan edit)."""
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    if not FINDING_ID.fullmatch(finding_id):
        raise ValidationError(
            f"检查结果编号“{finding_id[:100]}”格式不对（应为 类别:12位十六进制）",
            f"finding id '{finding_id[:100]}' is malformed (expected kind:12 hex digits)",
            where=str(plan_id),
        )
    stored = get_version(session, plan_id).findings or {}
    if not any(f["id"] == finding_id for f in stored.get("findings", [])):
        raise NotFound(
            f"规划 {plan.name} 的当前版本没有检查结果 {finding_id}",
            f"the current version of plan {plan.name} has no finding {finding_id}",
            where=str(plan_id),
        )
    if finding_id in accepted_ids(session, plan_id):
        return
    session.add(
        AcceptedFinding(plan_id=plan_id, finding_id=finding_id, accepted_by=audit.actor_name(actor))
    )
    audit.record(
        session,
        actor,
        "accept",
        "finding",
        f"{plan.region.code}/{plan.name}/{finding_id}",
        after={"plan_id": plan_id, "finding_id": finding_id},
    )
