"""Export a region's whole data and import it back, exactly (导出/导入).

:func:`export_region` returns a dict of flat tables keyed by natural keys (region codes, plan
names, versions, indicator codes, years) — never internal ids — in a deterministic order, so
that ``export_region(import_region(export)) == export`` can be checked with ``==``.  It holds
the region's ancestors (to re-create the tree), the region and its subtree, their plans with
every version (source Plan JSON, diff, the user's column map, the check findings), the
findings a reviewer accepted, indicators, targets with history, projects, and every
observation with its history.  Users, tokens and the audit log are not exported (they are
about this installation, and the audit log records the import itself).

:mod:`.exchange_xlsx` writes and reads the same tables as an .xlsx workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from ecociv.store.errors import Conflict
from ecociv.store.models import (
    AcceptedFinding,
    Observation,
    ObservationHistory,
    Plan,
    PlanIndicator,
    PlanVersion,
    Project,
    Region,
    Target,
    TargetHistory,
)
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.exchange_schema import (
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    parse_export,
)
from ecociv.store.services.observations import save_observation
from ecociv.store.services.regions import ancestors, create_region, get_region, subtree

__all__ = ["EXPORT_FORMAT", "EXPORT_FORMAT_VERSION", "export_region", "import_region"]

REGION_FIELDS = (
    "code",
    "name",
    "level",
    "parent_code",
    "terrain",
    "admin_class",
    "city_size",
    "coastal",
)
PLAN_FIELDS = (
    "region",
    "name",
    "period_start",
    "period_end",
    "base_year",
    "current_version",
    "created_at",
)
VERSION_FIELDS = (
    "region",
    "plan",
    "version",
    "source_json",
    "source_sha256",
    "diff",
    "imported_by",
    "imported_at",
    "column_map",
    "findings",
)
INDICATOR_FIELDS = (
    "region", "plan", "version", "position", "code", "parent_code", "seq", "domain", "task", "name", "unit",
    "attribute", "applicable", "baseline_year", "baseline_text", "standard_code", "match_confidence", "cells",
)  # fmt: skip
TARGET_FIELDS = (
    "region",
    "plan",
    "version",
    "indicator",
    "year",
    "text",
    "target_version",
    "updated_by",
    "updated_at",
)
TARGET_HISTORY_FIELDS = (
    "region", "plan", "version", "indicator", "year", "target_version", "text", "changed_by", "changed_at",
)  # fmt: skip
PROJECT_FIELDS = (
    "region", "plan", "version", "position", "seq", "category", "subcategory", "name", "content", "nature",
    "period_text", "period_start", "period_end", "investment_wan_yuan", "investment_text", "investment_note",
    "lead_units", "implementing_units",
)  # fmt: skip
ACCEPTED_FINDING_FIELDS = ("region", "plan", "finding_id", "accepted_by", "accepted_at")
OBSERVATION_FIELDS = (
    "region", "indicator_code", "year", "value", "text", "unit", "source", "note", "version", "updated_by",
    "updated_at", "confirmation",
)  # fmt: skip
OBSERVATION_HISTORY_FIELDS = (
    "region", "indicator_code", "year", "version", "value", "text", "unit", "source", "note", "changed_by",
    "changed_at", "replaced_by", "replaced_at", "confirmation",
)  # fmt: skip

TABLES: dict[str, tuple[str, ...]] = {
    "ancestors": REGION_FIELDS,
    "regions": REGION_FIELDS,
    "plans": PLAN_FIELDS,
    "plan_versions": VERSION_FIELDS,
    "plan_indicators": INDICATOR_FIELDS,
    "targets": TARGET_FIELDS,
    "target_history": TARGET_HISTORY_FIELDS,
    "projects": PROJECT_FIELDS,
    "accepted_findings": ACCEPTED_FINDING_FIELDS,
    "observations": OBSERVATION_FIELDS,
    "observation_history": OBSERVATION_HISTORY_FIELDS,
}
"""Each exported table and its columns, in order (the .xlsx sheets follow this)."""
DATETIME_FIELDS = frozenset(
    {"created_at", "imported_at", "updated_at", "changed_at", "replaced_at", "accepted_at"}
)
FLOAT_FIELDS = frozenset({"value", "match_confidence", "investment_wan_yuan"})
JSON_FIELDS = frozenset(
    {"source_json", "diff", "column_map", "findings", "cells", "lead_units", "implementing_units"}
)
PROVENANCE_FIELDS = (
    ("plan_versions", "imported_by"),
    ("targets", "updated_by"),
    ("observations", "updated_by"),
    ("accepted_findings", "accepted_by"),
)
"""The author names an export carries for its current rows (the history keeps its own)."""


def export_region(session: Session, code: str) -> dict[str, Any]:
    """Everything stored for region *code* and its subtree, as flat tables (see module doc)."""
    root = get_region(session, code)
    regions = subtree(session, code)
    codes = {region.id: region.code for region in regions}
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    tables["ancestors"] = [_region_row(region) for region in ancestors(session, root)]
    tables["regions"] = [_region_row(region) for region in regions]
    plans = session.scalars(
        select(Plan).where(Plan.region_id.in_(codes)).order_by(Plan.region_id, Plan.name)
    ).all()
    for plan in sorted(plans, key=lambda p: (codes[p.region_id], p.name)):
        plan_key = {"region": codes[plan.region_id], "plan": plan.name}
        tables["plans"].append({"region": plan_key["region"], **_fields(plan, PLAN_FIELDS[1:])})
        for version in plan.versions:
            version_key = {**plan_key, "version": version.version}
            tables["plan_versions"].append({**version_key, **_fields(version, VERSION_FIELDS[3:])})
            for indicator in version.indicators:
                tables["plan_indicators"].append(
                    {**version_key, **_fields(indicator, INDICATOR_FIELDS[3:])}
                )
                _export_targets(
                    session, tables, {**version_key, "indicator": indicator.code}, indicator
                )
            for project in version.projects:
                tables["projects"].append({**version_key, **_fields(project, PROJECT_FIELDS[3:])})
        accepted = session.scalars(
            select(AcceptedFinding)
            .where(AcceptedFinding.plan_id == plan.id)
            .order_by(AcceptedFinding.finding_id)
        )
        for entry in accepted:
            tables["accepted_findings"].append(
                {**plan_key, **_fields(entry, ACCEPTED_FINDING_FIELDS[2:])}
            )
    observations = session.scalars(select(Observation).where(Observation.region_id.in_(codes)))
    tables["observations"] = sorted(
        (
            {"region": codes[o.region_id], **_fields(o, OBSERVATION_FIELDS[1:])}
            for o in observations
        ),
        key=lambda row: (row["region"], row["indicator_code"], row["year"]),
    )
    history = session.scalars(
        select(ObservationHistory).where(ObservationHistory.region_id.in_(codes))
    )
    tables["observation_history"] = sorted(
        (
            {"region": codes[h.region_id], **_fields(h, OBSERVATION_HISTORY_FIELDS[1:])}
            for h in history
        ),
        key=lambda row: (
            row["region"],
            row["indicator_code"],
            row["year"],
            row["version"],
            row["replaced_at"],
        ),
    )
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "region": root.code,
        "tables": tables,
    }


def import_region(
    session: Session, actor: Actor, data: dict[str, Any], *, where: str | None = None
) -> dict[str, int]:
    """Re-create an export in this database, all or nothing; the region must not exist here.

    The file is checked against the export format first (:func:`.exchange_schema.parse_export`).
    Then every row is written as if *actor* had entered it, through the same rules:
    regions by :func:`~.regions.create_region`, observations by
    :func:`~.observations.save_observation` (region scope, role, value checks, audit), plans,
    targets and accepted findings under the rule of :func:`~.plans.import_plan`
    (``require_edit`` on their region).  Current rows are attributed to *actor*; the names the
    file gives (``updated_by``, ``imported_by``, ``accepted_by``) are kept only as provenance,
    in the import's audit entry, and the history rows keep theirs.  Missing ancestors are created from the export; existing ones are used as
    they are; a region of the exported subtree that exists here already is a :class:`Conflict`
    (an import never merges).  *where* (a file name) prefixes every error's location.
    Returns the number of rows per table.
    """
    tables = parse_export(data, where=where)
    root_code = data["region"]
    for row in tables["regions"]:
        if session.scalar(select(Region.id).where(Region.code == row["code"])) is not None:
            raise Conflict(
                f"行政区 {row['code']} 已存在，导入会覆盖现有数据；请在新数据库中导入或先删除该行政区",
                f"region {row['code']} already exists; import into a fresh database or remove it first",
                where=row["code"],
            )
    regions = _import_regions(session, actor, tables)
    _import_plans(session, actor, tables, regions)
    _import_observations(session, actor, tables, regions)
    counts = {name: len(rows) for name, rows in tables.items()}
    audit.record(
        session,
        actor,
        "import",
        "region_export",
        root_code,
        after={**counts, "provenance": _provenance(data, tables)},
    )
    return counts


# --------------------------------------------------------------------------- export helpers


def _region_row(region: Region) -> dict[str, Any]:
    row = _fields(region, REGION_FIELDS)
    row["parent_code"] = region.parent.code if region.parent is not None else None
    return row


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(row, "version" if name == "target_version" else name, None)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _export_targets(
    session: Session,
    tables: dict[str, list[dict[str, Any]]],
    key: dict[str, Any],
    indicator: PlanIndicator,
) -> None:
    for target in indicator.targets:
        tables["targets"].append({**key, **_fields(target, TARGET_FIELDS[4:])})
        history = session.scalars(
            select(TargetHistory)
            .where(TargetHistory.target_id == target.id)
            .order_by(TargetHistory.id)
        )
        for entry in history:
            tables["target_history"].append(
                {**key, "year": target.year, **_fields(entry, TARGET_HISTORY_FIELDS[5:])}
            )


# --------------------------------------------------------------------------- import helpers


def _provenance(data: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Who the file says did what: kept for the record, never used as the rows' author."""
    names = {
        row[field] for table, field in PROVENANCE_FIELDS for row in tables[table] if row.get(field)
    }
    return {
        "region": data["region"],
        "format_version": data["format_version"],
        "names": sorted(names),
    }


def _import_regions(
    session: Session, actor: Actor, tables: dict[str, list[dict[str, Any]]]
) -> dict[str, Region]:
    known: dict[str, Region] = {}
    for table in ("ancestors", "regions"):
        for row in tables[table]:
            existing = session.scalar(select(Region).where(Region.code == row["code"]))
            if existing is None:
                existing = create_region(
                    session, actor, **{name: row[name] for name in REGION_FIELDS}
                )
            known[row["code"]] = existing
    return known


def _import_plans(
    session: Session,
    actor: Actor,
    tables: dict[str, list[dict[str, Any]]],
    regions: dict[str, Region],
) -> None:
    name = audit.actor_name(actor)
    plans: dict[tuple[str, str], Plan] = {}
    for row in tables["plans"]:
        region = regions[row["region"]]
        require_edit(actor, region)
        plan = Plan(region=region, **_values(row, PLAN_FIELDS[1:]))
        session.add(plan)
        plans[(row["region"], row["name"])] = plan
    versions: dict[tuple[str, str, int], PlanVersion] = {}
    for row in tables["plan_versions"]:
        version = PlanVersion(
            plan=plans[(row["region"], row["plan"])],
            **_values(
                row, ("version", "source_json", "source_sha256", "diff", "column_map", "findings")
            ),
            imported_by=name,
        )
        session.add(version)
        versions[(row["region"], row["plan"], row["version"])] = version
    indicators: dict[tuple[str, str, int, str], PlanIndicator] = {}
    for row in tables["plan_indicators"]:
        key = (row["region"], row["plan"], row["version"])
        indicator = PlanIndicator(plan_version=versions[key], **_values(row, INDICATOR_FIELDS[3:]))
        session.add(indicator)
        indicators[(*key, row["code"])] = indicator
    for row in tables["projects"]:
        version = versions[(row["region"], row["plan"], row["version"])]
        session.add(Project(plan_version=version, **_values(row, PROJECT_FIELDS[3:])))
    targets: dict[tuple[Any, ...], Target] = {}
    for row in tables["targets"]:
        indicator_key = (row["region"], row["plan"], row["version"], row["indicator"])
        target = Target(
            indicator=indicators[indicator_key], year=row["year"], text=row["text"], updated_by=name
        )
        session.add(target)
        targets[(*indicator_key, row["year"])] = target
    session.flush()
    for row in tables["accepted_findings"]:
        plan = plans[(row["region"], row["plan"])]
        session.add(
            AcceptedFinding(plan_id=plan.id, finding_id=row["finding_id"], accepted_by=name)
        )
    _force_versions(
        session,
        Target,
        [(targets[_target_key(row)].id, row["target_version"]) for row in tables["targets"]],
    )
    for row in tables["target_history"]:
        session.add(
            TargetHistory(
                target_id=targets[_target_key(row)].id,
                version=row["target_version"],
                **_values(row, ("text", "changed_by", "changed_at")),
            )
        )
    session.flush()


def _target_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["region"], row["plan"], row["version"], row["indicator"], row["year"])


def _import_observations(
    session: Session,
    actor: Actor,
    tables: dict[str, list[dict[str, Any]]],
    regions: dict[str, Region],
) -> None:
    """Each value through :func:`save_observation` (scope, role, entry rules, audit), then its
    lock version as exported, then its history."""
    observations: dict[tuple[str, str, int], Observation] = {}
    for row in tables["observations"]:
        observation = save_observation(
            session,
            actor,
            region_code=row["region"],
            indicator_code=row["indicator_code"],
            year=row["year"],
            value=row["value"],
            text=row["text"],
            unit=row["unit"],
            source=row["source"],
            note=row["note"],
            confirmation=row.get("confirmation"),
            outlier_needs_reason=False,  # a record moved between stores, not a new entry
        )
        observations[(row["region"], row["indicator_code"], row["year"])] = observation
    session.flush()
    _force_versions(
        session,
        Observation,
        [
            (observations[(r["region"], r["indicator_code"], r["year"])].id, r["version"])
            for r in tables["observations"]
        ],
    )
    for row in tables["observation_history"]:
        current = observations.get((row["region"], row["indicator_code"], row["year"]))
        session.add(
            ObservationHistory(
                observation_id=current.id if current is not None else None,
                region_id=regions[row["region"]].id,
                **_values({"confirmation": None, **row}, OBSERVATION_HISTORY_FIELDS[1:]),
            )
        )
    session.flush()


def _force_versions(
    session: Session, model: type[Target] | type[Observation], pairs: list[tuple[int, int]]
) -> None:
    """Set the lock versions as exported (the ORM would start every inserted row at 1)."""
    table = cast(Table, model.__table__)
    if pairs:
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(version=bindparam("new_version"))
        )
        session.execute(
            statement, [{"row_id": row_id, "new_version": version} for row_id, version in pairs]
        )
    session.expire_all()


def _values(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _PARSERS.get(name, _same)(row[name]) for name in names}


def _same(value: Any) -> Any:
    return value


def _datetime(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


_PARSERS: dict[str, Callable[[Any], Any]] = {name: _datetime for name in DATETIME_FIELDS}
