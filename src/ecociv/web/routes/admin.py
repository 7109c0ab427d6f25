"""Administration in the browser (系统管理): users, departments and regions, through the same
services as ``ecociv admin`` (so the same checks and the same audit trail).  Administrators
only; a region admin page lets an editor add towns and streets (乡镇/街道) under their district
too, as the region service allows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from ecociv.store.models import REGION_LEVELS, ROLES
from ecociv.store.services import departments, regions, users
from ecociv.store.services.access import require_admin
from ecociv.web.api_types import safe_text
from ecociv.web.deps import CurrentUser, DbSession
from ecociv.web.pages import page
from ecociv.web.present import region_dict, user_dict

router = APIRouter()
if TYPE_CHECKING:  # a checked, limited str (mypy cannot read the factory's Annotated)
    Name = Annotated[str, Form()]
else:
    Name = Annotated[safe_text(100), Form()]
Code = Annotated[str, Form(max_length=32)]
OptionalCode = Annotated[str | None, Form(max_length=64)]


@page(router, "/admin", "admin.html")
def admin_page(db: DbSession, user: CurrentUser) -> dict[str, Any]:
    require_admin(user)
    known = {d.id: d for d in departments.list_departments(db)}
    return {
        "users": [
            {
                **user_dict(u),
                "active": u.active,
                "email": u.email,
                "department": known[u.department_id].name if u.department_id in known else None,
                "department_code": known[u.department_id].code
                if u.department_id in known
                else None,
            }
            for u in users.list_users(db)
        ],
        "departments": [
            {
                "code": d.code,
                "name": d.name,
                "region_code": d.region.code if d.region is not None else None,
                "active": d.active,
            }
            for d in known.values()
        ],
        "regions": [region_dict(r) for r in regions.list_regions(db)],
        "roles": list(ROLES),
        "levels": list(REGION_LEVELS),
    }


@router.post("/admin/users", name="admin_create_user")
def create_user(
    db: DbSession,
    user: CurrentUser,
    name: Name,
    role: Annotated[str, Form(max_length=16)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
    region: OptionalCode = None,
    department: OptionalCode = None,
    email: Annotated[str | None, Form(max_length=254)] = None,
) -> RedirectResponse:
    users.create_user(
        db,
        user,
        name=name,
        password=password,
        role=role,
        region_code=region or None,
        email=email or None,
    )
    if department:
        departments.assign_user(db, user, name, department)
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/users/{name}", name="admin_update_user")
def update_user(
    name: str,
    db: DbSession,
    user: CurrentUser,
    role: Annotated[str | None, Form(max_length=16)] = None,
    region: OptionalCode = None,
    department: OptionalCode = None,
    active: Annotated[bool | None, Form()] = None,
    email: Annotated[str | None, Form(max_length=254)] = None,
) -> RedirectResponse:
    users.update_user(
        db, user, name, role=role or None, region_code=region or None, active=active, email=email
    )
    if department:
        departments.assign_user(db, user, name, department)
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/departments", name="admin_create_department")
def create_department(
    db: DbSession,
    user: CurrentUser,
    code: Annotated[str, Form(max_length=64)],
    name: Name,
    region: OptionalCode = None,
) -> RedirectResponse:
    departments.create_department(db, user, code=code, name=name, region_code=region or None)
    return RedirectResponse("/admin#departments", status_code=303)


@router.post("/admin/regions", name="admin_create_region")
def create_region(
    db: DbSession,
    user: CurrentUser,
    code: Code,
    name: Name,
    level: Annotated[str, Form(max_length=16)],
    parent: OptionalCode = None,
) -> RedirectResponse:
    regions.create_region(db, user, code=code, name=name, level=level, parent_code=parent or None)
    return RedirectResponse("/admin#regions", status_code=303)
