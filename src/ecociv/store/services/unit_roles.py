"""Roles in a unit-to-unit workflow (problems, tasks): who assigns and who carries out.

* ``unit`` — an editor of the record's region whose department is one of the record's units
  (牵头单位, 责任单位, 配合单位);
* ``assigner`` — any other editor of the region (the office that assigns and checks) or of
  a region above it.

An administrator and a trusted local caller (a plain name) hold both.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.store.models import Region, User
from ecociv.store.services.access import can_edit
from ecociv.store.services.audit import Actor
from ecociv.store.tables.org import Department

BOTH = frozenset({"assigner", "unit"})


def roles_for(
    session: Session, actor: Actor, region: Region, units: Iterable[str]
) -> frozenset[str]:
    if isinstance(actor, str):
        return BOTH
    if not can_edit(actor, region):
        return frozenset()
    if actor.role == "admin":
        return BOTH
    department = session.get(Department, actor.department_id) if actor.department_id else None
    if department is not None and department.code in set(units):
        return frozenset({"unit"})
    return frozenset({"assigner"})


def unit_users(session: Session, region: Region, units: Iterable[str]) -> list[str]:
    """Names of the active users of the units who may act in *region*."""
    codes = set(units)
    if not codes:
        return []
    found = session.scalars(
        select(User)
        .join(Department, User.department_id == Department.id)
        .where(Department.code.in_(codes), User.active.is_(True))
        .order_by(User.name)
    )
    return [user.name for user in found if can_edit(user, region)]


def supervisors(session: Session, region: Region) -> list[str]:
    """Active administrators and editors of a region strictly above *region*."""
    users = session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(("admin", "editor")))
    )
    return sorted(
        user.name
        for user in users
        if user.role == "admin"
        or (
            user.region is not None
            and user.region.path != region.path
            and region.path.startswith(user.region.path)
        )
    )
