"""Plans: import from a :class:`ecociv.model.Plan` (a re-import is a new version, with its
differences from the previous one), versions, and their indicators and projects."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv import model
from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.models import Plan, PlanIndicator, PlanVersion, Project, Target
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.plan_content import (
    INDICATOR_FIELDS,
    PROJECT_FIELDS,
    IndicatorSpec,
    diff_contents,
    indicator_record,
    plan_content,
)
from ecociv.store.services.regions import get_region
from ecociv.store.services.standards import standard_matcher

PLAN_NAME_MAX = 300


def get_plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(
            f"规划 {plan_id} 不存在", f"plan {plan_id} does not exist", where=str(plan_id)
        )
    return plan


def find_plan(session: Session, region_code: str, name: str) -> Plan | None:
    region = get_region(session, region_code)
    return session.scalar(select(Plan).where(Plan.region_id == region.id, Plan.name == name))


def list_plans(session: Session, region_code: str | None = None) -> list[Plan]:
    query = select(Plan).order_by(Plan.region_id, Plan.name)
    if region_code is not None:
        query = query.where(Plan.region_id == get_region(session, region_code).id)
    return list(session.scalars(query))


def get_version(session: Session, plan_id: int, version: int | None = None) -> PlanVersion:
    """A version of a plan; ``None`` means the current (latest imported) one."""
    plan = get_plan(session, plan_id)
    number = plan.current_version if version is None else version
    found = session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.version == number)
    )
    if found is None:
        raise NotFound(
            f"规划 {plan.name} 没有第 {number} 版",
            f"plan {plan.name} has no version {number}",
            where=str(plan_id),
        )
    return found


def list_versions(session: Session, plan_id: int) -> list[PlanVersion]:
    return list(get_plan(session, plan_id).versions)


def import_plan(
    session: Session,
    actor: Actor,
    plan: model.Plan,
    *,
    region_code: str,
    name: str | None = None,
    column_map: dict[str, Any] | None = None,
    findings: dict[str, Any] | None = None,
) -> PlanVersion:
    """Store *plan* for the region: a new plan (version 1) or the next version of the plan
    with the same name there; the version keeps the source Plan JSON and the diff, and the
    user's *column_map* and the check *findings* of the upload when given."""
    region = get_region(session, region_code)
    require_edit(actor, region)
    plan_name = plan_name_of(plan, name)
    stored = session.scalar(select(Plan).where(Plan.region_id == region.id, Plan.name == plan_name))
    previous: PlanVersion | None = None
    if stored is None:
        stored = Plan(region=region, name=plan_name, current_version=0)
        session.add(stored)
    else:
        previous = get_version(session, stored.id)
    stored.period_start = plan.metadata.period_start
    stored.period_end = plan.metadata.period_end
    stored.base_year = plan.metadata.base_year
    stored.current_version += 1

    content = plan_content(plan, standard_matcher())
    source_json = json.loads(plan.model_dump_json())
    version = PlanVersion(
        plan=stored,
        version=stored.current_version,
        source_json=source_json,
        source_sha256=plan.source.sha256 or _sha256_of(source_json),
        imported_by=audit.actor_name(actor),
        column_map=column_map,
        findings=findings,
    )
    session.add(version)
    for position, spec in enumerate(content.indicators):
        version.indicators.append(_indicator_row(spec, position, audit.actor_name(actor)))
    located = _project_locations(previous)
    for position, fields in enumerate(content.projects):
        lon, lat = located.get(str(fields.get("name")), (None, None))
        version.projects.append(Project(position=position, lon=lon, lat=lat, **fields))
    session.flush()
    version.diff = version_diff(previous, version) if previous is not None else {}
    session.flush()
    audit.record(
        session,
        actor,
        "import",
        "plan",
        f"{region.code}/{plan_name}",
        after={
            "plan_id": stored.id,
            "version": version.version,
            "indicators": len(version.indicators),
            "projects": len(version.projects),
            "source_sha256": version.source_sha256,
        },
    )
    return version


def _project_locations(
    previous: PlanVersion | None,
) -> dict[str, tuple[float | None, float | None]]:
    """Coordinates placed on the previous version's projects, by project name, so that a
    re-import keeps them (a name given twice is ambiguous and keeps none)."""
    if previous is None:
        return {}
    names = [p.name for p in previous.projects]
    return {
        p.name: (p.lon, p.lat)
        for p in previous.projects
        if p.lon is not None and p.lat is not None and names.count(p.name) == 1
    }


def plan_name_of(plan: model.Plan, name: str | None = None) -> str:
    """The name a plan is stored under: the one given, else the document's title, else the
    file's stem."""
    plan_name = (name or plan.metadata.name or PurePath(plan.source.path).stem).strip()
    if not plan_name or len(plan_name) > PLAN_NAME_MAX:
        raise ValidationError(
            f"规划名称不能为空且不超过 {PLAN_NAME_MAX} 个字符，请指定名称",
            f"the plan name must be 1–{PLAN_NAME_MAX} characters; give one",
            where=plan.source.path,
        )
    return plan_name


def import_diff(
    session: Session, plan: model.Plan, *, region_code: str, name: str | None = None
) -> dict[str, Any] | None:
    """What :func:`import_plan` would record as the differences, without writing anything:
    the plan's current version against *plan*, or None when no plan of that name exists in the
    region yet (the import would make version 1).  The result carries ``plan_id`` besides
    the diff (``from_version``, ``to_version``, ``indicators``, ``projects``)."""
    region = get_region(session, region_code)
    stored = find_plan(session, region.code, plan_name_of(plan, name))
    if stored is None:
        return None
    current = get_version(session, stored.id)
    content = plan_content(plan, standard_matcher())
    diff = diff_contents(
        indicator_records(current),
        {spec.code: indicator_record(spec) for spec in content.indicators},
        project_records(current),
        content.projects,
    )
    return {
        "plan_id": stored.id,
        "from_version": current.version,
        "to_version": current.version + 1,
        **diff,
    }


def diff_versions(session: Session, plan_id: int, old: int, new: int) -> dict[str, Any]:
    """The differences between two stored versions of a plan (indicators, targets, projects)."""
    return version_diff(get_version(session, plan_id, old), get_version(session, plan_id, new))


def version_diff(old: PlanVersion, new: PlanVersion) -> dict[str, Any]:
    diff = diff_contents(
        indicator_records(old), indicator_records(new), project_records(old), project_records(new)
    )
    return {"from_version": old.version, "to_version": new.version, **diff}


def indicator_records(version: PlanVersion) -> dict[str, dict[str, Any]]:
    records = {}
    for row in version.indicators:
        spec = IndicatorSpec(
            code=row.code,
            name=row.name,
            **{name: getattr(row, name) for name in _SPEC_COLUMNS},
            targets={target.year: target.text for target in row.targets},
        )
        records[row.code] = indicator_record(spec)
    return records


def project_records(version: PlanVersion) -> list[dict[str, Any]]:
    return [
        {name: getattr(project, name) for name in PROJECT_FIELDS} for project in version.projects
    ]


_SPEC_COLUMNS = tuple(name for name in INDICATOR_FIELDS if name != "name")


def _indicator_row(spec: IndicatorSpec, position: int, actor: str) -> PlanIndicator:
    row = PlanIndicator(
        position=position,
        code=spec.code,
        name=spec.name,
        match_confidence=spec.match_confidence,
        cells=spec.cells,
        **{name: getattr(spec, name) for name in _SPEC_COLUMNS},
    )
    row.targets = [
        Target(year=year, text=text, updated_by=actor)
        for year, text in sorted(spec.targets.items())
    ]
    return row


def _sha256_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
