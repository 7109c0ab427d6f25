"""Who holds which role of ``problem_rectification`` for a problem.

* ``unit`` — an editor of the problem's region whose department is the lead unit or one of
  the responsible units (牵头单位, 责任单位);
* ``assigner`` — any other editor of the region (the 督察 / 交办 office) or of a region above.

An administrator and a trusted local caller hold both.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.store.models import Region, User
from ecociv.store.services.access import can_edit
from ecociv.store.services.audit import Actor
from ecociv.store.tables.org import Department
from ecociv.store.tables.problems import Problem

BOTH = frozenset({"assigner", "unit"})


def units_of(problem: Problem) -> set[str]:
    return {code for code in (problem.lead_unit, *problem.responsible_units) if code}


def roles_for(session: Session, actor: Actor, problem: Problem) -> frozenset[str]:
    if isinstance(actor, str):
        return BOTH
    if not can_edit(actor, problem.region):
        return frozenset()
    if actor.role == "admin":
        return BOTH
    department = session.get(Department, actor.department_id) if actor.department_id else None
    if department is not None and department.code in units_of(problem):
        return frozenset({"unit"})
    return frozenset({"assigner"})


def unit_users(session: Session, problem: Problem) -> list[str]:
    """Names of the active users of the problem's units who may act on it."""
    codes = units_of(problem)
    if not codes:
        return []
    found = session.scalars(
        select(User)
        .join(Department, User.department_id == Department.id)
        .where(Department.code.in_(codes), User.active.is_(True))
        .order_by(User.name)
    )
    return [user.name for user in found if can_edit(user, problem.region)]


def assigner_users(problem: Problem) -> list[str]:
    """Who created the problem and who assigned it (the office that checks it)."""
    names = [problem.created_by, *(e.actor for e in problem.events if e.action == "assign")]
    return list(dict.fromkeys(name for name in names if name))


def supervisors(session: Session, region: Region) -> list[str]:
    """Active editors of a region strictly above *region*, and administrators: who hears of
    an overdue problem."""
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
