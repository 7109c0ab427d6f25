"""Which abstract roles of the ``data_approval`` workflow a user holds for one report.

The platform's user roles (``ecociv.store.models.ROLES``) map to the workflow's roles as data
(:data:`GRANTS`); each grant holds only inside the user's region subtree, and a department
filler's (填报员) grant only for their own department's reports.  A trusted local caller (the
CLI, a plain name) holds every role.
"""

from __future__ import annotations

from ecociv.store.models import Region, User

WORKFLOW_ROLES = frozenset({"filler", "reviewer", "approver"})
GRANTS: dict[str, frozenset[str]] = {
    "admin": WORKFLOW_ROLES,
    "editor": frozenset({"filler"}),
    "filler": frozenset({"filler"}),
    "reviewer": frozenset({"reviewer"}),
    "approver": frozenset({"approver"}),
    "viewer": frozenset(),
}
"""User role → workflow roles.  An editor (区域数据编辑) fills in for every department of
their region; a filler only for their department; reviewer (审核) and approver (审批) act on
every department's reports in their region."""


def in_scope(user: User, region: Region) -> bool:
    """Whether *region* lies in the user's region subtree (an admin's is everything)."""
    if user.role == "admin":
        return True
    return user.region is not None and region.path.startswith(user.region.path)


def roles_for(actor: User | str, region: Region, department_id: int) -> set[str]:
    """The workflow roles *actor* holds for the report of *department_id* in *region*."""
    if isinstance(actor, str):
        return set(WORKFLOW_ROLES)
    if not actor.active or not in_scope(actor, region):
        return set()
    granted = set(GRANTS.get(actor.role, frozenset()))
    if actor.role == "filler" and actor.department_id != department_id:
        granted.discard("filler")
    return granted
