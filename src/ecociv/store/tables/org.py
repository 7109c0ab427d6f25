"""The organisation: departments (部门 / 数据责任单位) that own data, tasks and problems.

A department belongs to the region whose government it serves (the 生态环境局 of a district, the
统计局 of a city); a user belongs to at most one department (``user_account.department_id``).
Towns and streets are regions (level ``town``), not departments.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, Region


class Department(Base):
    """A government department or unit; ``code`` is its stable key in services and exports."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    region: Mapped[Region | None] = relationship()
