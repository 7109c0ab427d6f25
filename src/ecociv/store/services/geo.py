"""The map's data in the store (一张图): a region's GB/T 2260 division code, monitoring stations
and project locations as points.  Codes and coordinates are checked by :mod:`ecociv.geo`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.errors import InputError
from ecociv.geo.points import check_point
from ecociv.store.errors import NotFound, ValidationError
from ecociv.store.models import Project, Region
from ecociv.store.services import audit
from ecociv.store.services.access import require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.division_codes import checked_division_code
from ecociv.store.services.regions import get_region
from ecociv.store.tables.geo import MonitoringStation

STATION_KINDS = {"air": "环境空气", "water": "地表水", "noise": "声环境", "other": "其他"}
"""Kinds of station the map draws (each with its own marker)."""
NAME_MAX = 200


def _invalid(error: InputError) -> ValidationError:
    return ValidationError(error.zh, error.en, where=error.where)


def set_division_code(
    session: Session, actor: Actor, region_code: str, division_code: str | None
) -> Region:
    """Give *region_code* its GB/T 2260 code (of the region's level), or clear it."""
    region = get_region(session, region_code)
    require_edit(actor, region)
    checked = checked_division_code(session, division_code, region.level, region.id)
    before = audit.snapshot(region)
    region.division_code = checked
    session.flush()
    audit.record(
        session, actor, "update", "region", region.code, before=before, after=audit.snapshot(region)
    )
    return region


def save_station(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    kind: str,
    region_code: str,
    lon: float | None = None,
    lat: float | None = None,
    source: str | None = None,
) -> MonitoringStation:
    """Create or update the station *code* (its region, name, kind and coordinates)."""
    code, name = code.strip(), name.strip()
    if not code or len(code) > 64 or not name or len(name) > NAME_MAX:
        raise ValidationError(
            f"站点代码（1—64 字符）和名称（1—{NAME_MAX} 字符）不能为空",
            f"a station needs a code (1–64 characters) and a name (1–{NAME_MAX})",
            where=code or "code",
        )
    if kind not in STATION_KINDS:
        raise ValidationError(
            f"站点类型 {kind!r} 无效（可选：{'/'.join(STATION_KINDS)}）",
            f"invalid station kind {kind!r} (allowed: {'/'.join(STATION_KINDS)})",
            where=code,
        )
    try:
        check_point(lon, lat, where=code)
    except InputError as error:
        raise _invalid(error) from None
    region = get_region(session, region_code)
    require_edit(actor, region)
    station = session.scalar(select(MonitoringStation).where(MonitoringStation.code == code))
    before = None
    if station is None:
        station = MonitoringStation(code=code)
        session.add(station)
    else:
        require_edit(actor, station.region)
        before = audit.snapshot(station)
    station.name, station.kind, station.region = name, kind, region
    station.lon, station.lat, station.source = lon, lat, source
    station.updated_by = audit.actor_name(actor)
    session.flush()
    audit.record(
        session,
        actor,
        "update" if before else "create",
        "monitoring_station",
        code,
        before=before,
        after=audit.snapshot(station),
    )
    return station


def stations_in(session: Session, region: Region) -> list[MonitoringStation]:
    """The stations of *region* and every region below it, by code."""
    query = (
        select(MonitoringStation)
        .join(Region, MonitoringStation.region_id == Region.id)
        .where(Region.path.startswith(region.path, autoescape=True))
        .order_by(MonitoringStation.code)
    )
    return list(session.scalars(query))


def set_project_location(
    session: Session, actor: Actor, project_id: int, lon: float | None, lat: float | None
) -> Project:
    """Place a project on the map (or take it off with both None)."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"项目 {project_id} 不存在", f"project {project_id} does not exist")
    require_edit(actor, project.plan_version.plan.region)
    try:
        check_point(lon, lat, where=f"project {project_id}")
    except InputError as error:
        raise _invalid(error) from None
    before = audit.snapshot(project)
    project.lon, project.lat = lon, lat
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "project",
        str(project_id),
        before=before,
        after=audit.snapshot(project),
    )
    return project
