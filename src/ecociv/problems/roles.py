"""Who holds which role of ``problem_rectification`` for a problem: the problem's units
(牵头单位 and 责任单位) are ``unit``, the rest of the region's editors ``assigner``
(:mod:`ecociv.store.services.unit_roles`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ecociv.store.services import unit_roles
from ecociv.store.services.audit import Actor
from ecociv.store.tables.problems import Problem


def units_of(problem: Problem) -> set[str]:
    return {code for code in (problem.lead_unit, *problem.responsible_units) if code}


def roles_for(session: Session, actor: Actor, problem: Problem) -> frozenset[str]:
    return unit_roles.roles_for(session, actor, problem.region, units_of(problem))


def unit_users(session: Session, problem: Problem) -> list[str]:
    return unit_roles.unit_users(session, problem.region, units_of(problem))


def assigner_users(problem: Problem) -> list[str]:
    """Who created the problem and who assigned it (the office that checks it)."""
    names = [problem.created_by, *(e.actor for e in problem.events if e.action == "assign")]
    return list(dict.fromkeys(name for name in names if name))
