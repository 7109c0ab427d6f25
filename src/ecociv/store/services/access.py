"""Who may write what: ``admin`` everything, ``editor`` inside one region's subtree, ``viewer`` nothing.

Trusted local callers (the CLI) act under a plain name and are not restricted.
"""

from __future__ import annotations

from ecociv.store.errors import Forbidden
from ecociv.store.models import Region, User


def can_edit(user: User, region: Region) -> bool:
    """True when *user* may write data of *region* (an editor: the region is in the subtree)."""
    if not user.active:
        return False
    if user.role == "admin":
        return True
    if user.role == "editor" and user.region is not None:
        return region.path.startswith(user.region.path)
    return False


def can_see(user: User, region: Region) -> bool:
    """True when *user* may read restricted material of *region* (evidence files, for one):
    an administrator, a user bound to no region, or one whose region's subtree holds it."""
    if not user.active:
        return False
    if user.role == "admin" or user.region is None:
        return True
    return region.path.startswith(user.region.path)


def require_see(actor: User | str, region: Region) -> None:
    if isinstance(actor, str) or can_see(actor, region):
        return
    raise Forbidden(
        f"用户 {actor.name} 无权查看 {region.name}（{region.code}）的材料",
        f"user {actor.name} may not see material of {region.name} ({region.code})",
        where=region.code,
    )


def require_edit(actor: User | str, region: Region) -> None:
    if isinstance(actor, str) or can_edit(actor, region):
        return
    raise Forbidden(
        f"用户 {actor.name}（{actor.role}）无权修改 {region.name}（{region.code}）的数据",
        f"user {actor.name} ({actor.role}) may not change data of {region.name} ({region.code})",
        where=region.code,
    )


def require_admin(actor: User | str) -> None:
    if isinstance(actor, str) or (actor.active and actor.role == "admin"):
        return
    raise Forbidden(
        f"此操作仅限管理员；用户 {actor.name} 的角色是 {actor.role}",
        f"only administrators may do this; user {actor.name} is {actor.role}",
    )
