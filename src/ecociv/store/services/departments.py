"""Departments (部门) and who belongs to them: created by administrators, audited."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import Region
from ecociv.store.services import audit
from ecociv.store.services.access import require_admin
from ecociv.store.services.audit import Actor
from ecociv.store.services.regions import get_region
from ecociv.store.services.users import get_user
from ecociv.store.tables.org import Department

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
NAME_MAX = 100


def get_department(session: Session, code: str) -> Department:
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise NotFound(f"部门 {code} 不存在", f"department {code} does not exist", where=code)
    return department


def list_departments(session: Session, region_code: str | None = None) -> list[Department]:
    """All departments, or those of *region_code*'s subtree, by region then name."""
    query = select(Department).outerjoin(Region, Department.region_id == Region.id)
    if region_code is not None:
        root = get_region(session, region_code)
        query = query.where(Region.path.startswith(root.path))
    return list(session.scalars(query.order_by(Region.path, Department.name)))


def create_department(
    session: Session, actor: Actor, *, code: str, name: str, region_code: str | None = None
) -> Department:
    """Add a department (admins only); *code* is its stable key (letters, digits, ``_.-``)."""
    require_admin(actor)
    code, name = code.strip(), name.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise ValidationError(
            "部门代码须为 1–40 个字母、数字或 _ . -，且以字母或数字开头",
            "a department code is 1–40 letters, digits or _ . -, starting with a letter or digit",
            where=code,
        )
    if not name or len(name) > NAME_MAX:
        raise ValidationError(
            f"部门名称不能为空且不超过 {NAME_MAX} 个字符",
            f"a department name must be 1–{NAME_MAX} characters",
            where=code,
        )
    if session.scalar(select(Department.id).where(Department.code == code)) is not None:
        raise Conflict(f"部门 {code} 已存在", f"department {code} already exists", where=code)
    region = get_region(session, region_code) if region_code else None
    department = Department(code=code, name=name, region=region)
    session.add(department)
    session.flush()
    audit.record(session, actor, "create", "department", code, after=audit.snapshot(department))
    return department


def assign_user(session: Session, actor: Actor, user_name: str, department_code: str | None):
    """Put a user in a department (``None``: in none); admins only."""
    require_admin(actor)
    user = get_user(session, user_name)
    before = audit.snapshot(user)
    user.department_id = (
        get_department(session, department_code).id if department_code is not None else None
    )
    session.flush()
    audit.record(
        session, actor, "update", "user", user_name, before=before, after=audit.snapshot(user)
    )
    return user
