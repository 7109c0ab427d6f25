"""Which abstract workflow roles a user holds for a region's project, problem or task.

* ``unit`` — whoever may edit the region's data (an editor of its subtree, an admin): the
  implementing side that reports, applies and proposes;
* ``approver`` — an admin, or an editor of a region strictly above it (the level that
  approves a change, accepts a project, assigns and checks a problem).

A trusted local caller (the CLI, acting under a plain name) holds every role, as it passes
every other authorisation check.
"""

from __future__ import annotations

from ecociv.store.models import Region, User
from ecociv.store.services.access import can_edit
from ecociv.store.services.audit import Actor

ALL_ROLES = frozenset({"unit", "approver"})


def roles_for(actor: Actor, region: Region) -> frozenset[str]:
    if isinstance(actor, str):
        return ALL_ROLES
    if not can_edit(actor, region):
        return frozenset()
    if actor.role == "admin" or _strictly_above(actor, region):
        return ALL_ROLES
    return frozenset({"unit"})


def _strictly_above(user: User, region: Region) -> bool:
    return user.region is not None and user.region.path != region.path
