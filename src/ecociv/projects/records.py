"""The project library (项目库): a plan's projects enrolled as records, their details,
funding, milestones and the indicators they serve.

Every write is authorised against the plan's region (:mod:`ecociv.projects.roles`), audited,
and guarded against lost updates where several people edit the same row.
"""

from __future__ import annotations

import math
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.projects.roles import roles_for
from ecociv.projects.vocab import funding_sources, report_frequencies
from ecociv.store.errors import Conflict, Forbidden, NotFound, ValidationError
from ecociv.store.models import PlanIndicator, Region, utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.days import check_day
from ecociv.store.services.locking import check_version, flush_guarded
from ecociv.store.services.plans import get_plan, get_version
from ecociv.store.services.regions import get_region
from ecociv.store.tables.projects_life import (
    ProjectFunding,
    ProjectIndicatorLink,
    ProjectMilestone,
    ProjectRecord,
)
from ecociv.workflow import load

LIFECYCLE = "project_lifecycle"
DETAIL_FIELDS = ("location", "scale", "technical_plan")


def where_of(record: ProjectRecord) -> str:
    return f"project/{record.id}"


def enrol_plan(
    session: Session, actor: Actor, plan_id: int, *, on: date | None = None
) -> list[ProjectRecord]:
    """Enrol every project of the plan's current version that is not in the library yet
    (state 储备, dated *on*, today by default); returns the new records."""
    plan = get_plan(session, plan_id)
    require_edit(actor, plan.region)
    enrolled = set(
        session.scalars(select(ProjectRecord.project_id).where(ProjectRecord.plan_id == plan.id))
    )
    day = (on or date.today()).isoformat()
    initial = load(LIFECYCLE).initial
    created = []
    for project in get_version(session, plan.id).projects:
        if project.id in enrolled:
            continue
        record = ProjectRecord(
            project=project,
            plan=plan,
            region=plan.region,
            state=initial,
            state_dates={initial: day},
            updated_by=audit.actor_name(actor),
        )
        session.add(record)
        created.append(record)
    session.flush()
    for record in created:
        audit.record(
            session, actor, "create", "project_record", where_of(record), after=_summary(record)
        )
    return created


def get_record(session: Session, record_id: int) -> ProjectRecord:
    record = session.get(ProjectRecord, record_id)
    if record is None:
        raise NotFound(
            f"项目库中没有编号为 {record_id} 的项目",
            f"no project {record_id} in the library",
            where=f"project/{record_id}",
        )
    return record


def list_records(
    session: Session,
    *,
    plan_id: int | None = None,
    region_code: str | None = None,
    state: str | None = None,
) -> list[ProjectRecord]:
    """Records of a plan, of a region's subtree, in a state (each filter optional)."""
    query = select(ProjectRecord)
    if plan_id is not None:
        query = query.where(ProjectRecord.plan_id == plan_id)
    if region_code is not None:
        region = get_region(session, region_code)
        query = query.join(Region, ProjectRecord.region_id == Region.id).where(
            Region.path.startswith(region.path)
        )
    if state is not None:
        query = query.where(ProjectRecord.state == state)
    return list(session.scalars(query.order_by(ProjectRecord.plan_id, ProjectRecord.id)))


def require_role(actor: Actor, record: ProjectRecord, role: str) -> None:
    if role not in roles_for(actor, record.region):
        name = audit.actor_name(actor)
        raise Forbidden(
            f"用户 {name} 对 {record.region.name} 的项目“{record.project.name}”没有“{role}”权限",
            f"user {name} does not hold the {role!r} role for project "
            f"“{record.project.name}” of {record.region.name}",
            where=where_of(record),
        )


def update_details(
    session: Session,
    actor: Actor,
    record_id: int,
    *,
    expected_version: int,
    report_frequency: str | None = None,
    location: str | None = None,
    scale: str | None = None,
    technical_plan: str | None = None,
) -> ProjectRecord:
    """Set the reporting frequency, and — while the project is still in reserve (储备) —
    its location, scale and technical plan; afterwards those change only through an approved
    change request (:mod:`ecociv.projects.changes`)."""
    record = get_record(session, record_id)
    require_role(actor, record, "unit")
    where = where_of(record)
    check_version(record, expected_version, where)
    before = audit.snapshot(record)
    if report_frequency is not None:
        if report_frequency not in report_frequencies():
            raise ValidationError(
                f"调度频率 {report_frequency!r} 无效（可选：{'、'.join(report_frequencies())}）",
                f"unknown reporting frequency {report_frequency!r} "
                f"(one of: {', '.join(report_frequencies())})",
                where=f"{where}/report_frequency",
            )
        record.report_frequency = report_frequency
    details = {"location": location, "scale": scale, "technical_plan": technical_plan}
    given = {name: value for name, value in details.items() if value is not None}
    if given and record.state != load(LIFECYCLE).initial:
        raise Conflict(
            f"项目已离开储备阶段，{'、'.join(given)} 须通过变更申请调整",
            f"the project has left the reserve; change {', '.join(given)} by a change request",
            where=where,
        )
    for name, value in given.items():
        setattr(record, name, value.strip() or None)
    _touch(record, actor)
    flush_guarded(session, where)
    audit.record(
        session,
        actor,
        "update",
        "project_record",
        where,
        before=before,
        after=audit.snapshot(record),
    )
    return record


def set_funding(
    session: Session,
    actor: Actor,
    record_id: int,
    *,
    source: str,
    amount_wan_yuan: float,
    note: str | None = None,
) -> ProjectFunding:
    """Set (or replace) the amount from one funding channel (万元)."""
    record = get_record(session, record_id)
    require_role(actor, record, "unit")
    where = f"{where_of(record)}/funding/{source}"
    if source not in funding_sources():
        raise ValidationError(
            f"资金来源 {source!r} 无效（可选：{'、'.join(funding_sources())}）",
            f"unknown funding source {source!r} (one of: {', '.join(funding_sources())})",
            where=where,
        )
    _check_amount(amount_wan_yuan, where)
    existing = next((f for f in record.funding if f.source == source), None)
    before = audit.snapshot(existing) if existing is not None else None
    if existing is None:
        existing = ProjectFunding(source=source, amount_wan_yuan=amount_wan_yuan, note=note)
        record.funding.append(existing)
    else:
        existing.amount_wan_yuan, existing.note = amount_wan_yuan, note
    session.flush()
    audit.record(
        session,
        actor,
        "create" if before is None else "update",
        "project_funding",
        where,
        before=before,
        after=audit.snapshot(existing),
    )
    return existing


def add_milestone(
    session: Session, actor: Actor, record_id: int, *, name: str, planned: date
) -> ProjectMilestone:
    """A node (节点) with its planned date; the actual date comes from a 调度 report."""
    record = get_record(session, record_id)
    require_role(actor, record, "unit")
    name = name.strip()
    where = f"{where_of(record)}/milestone/{name}"
    if not name or len(name) > 200:
        raise ValidationError(
            "节点名称不能为空且不超过 200 个字符",
            "a milestone name must be 1–200 characters",
            where=where,
        )
    if any(m.name == name for m in record.milestones):
        raise Conflict(f"节点“{name}”已存在", f"milestone “{name}” already exists", where=where)
    check_day(planned, where, "planned")
    milestone = ProjectMilestone(name=name, planned=planned)
    record.milestones.append(milestone)
    session.flush()
    audit.record(
        session, actor, "create", "project_milestone", where, after=audit.snapshot(milestone)
    )
    return milestone


def link_indicator(
    session: Session, actor: Actor, record_id: int, indicator_code: str
) -> ProjectIndicatorLink:
    """Record that the project serves a plan indicator (one of the plan's current version)."""
    record = get_record(session, record_id)
    require_role(actor, record, "unit")
    where = f"{where_of(record)}/indicator/{indicator_code}"
    version = get_version(session, record.plan_id)
    known = session.scalar(
        select(PlanIndicator.id).where(
            PlanIndicator.plan_version_id == version.id, PlanIndicator.code == indicator_code
        )
    )
    if known is None:
        raise ValidationError(
            f"规划“{record.plan.name}”没有指标 {indicator_code}",
            f"plan “{record.plan.name}” has no indicator {indicator_code}",
            where=where,
        )
    if any(link.indicator_code == indicator_code for link in record.indicator_links):
        raise Conflict(
            f"项目已关联指标 {indicator_code}",
            f"the project already serves {indicator_code}",
            where=where,
        )
    link = ProjectIndicatorLink(indicator_code=indicator_code)
    record.indicator_links.append(link)
    session.flush()
    audit.record(
        session, actor, "create", "project_indicator_link", where, after=audit.snapshot(link)
    )
    return link


def _check_amount(amount: float, where: str) -> None:
    if not math.isfinite(amount) or amount < 0 or amount > 1e9:
        raise ValidationError(
            f"金额 {amount!r} 无效：须为 0 至 10 亿之间的万元数",
            f"amount {amount!r} is invalid: give 0 to 1e9 (10k yuan)",
            where=where,
        )


def _touch(record: ProjectRecord, actor: Actor) -> None:
    record.updated_by = audit.actor_name(actor)
    record.updated_at = utcnow()


def _summary(record: ProjectRecord) -> dict:
    return {**audit.snapshot(record), "name": record.project.name}
