"""Problems to rectify (问题整改): the record an inspection finding carries (整改目标, 整改措施,
完成时限, 责任领导, 牵头单位, 责任单位), where it is, and every step it went through.

The state follows the workflow definition ``problem_rectification``; units are named by their
department code (``department.code``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, JSONType, Region, utcnow


class Problem(Base):
    """One problem: found, assigned to units, rectified, closed (销号)."""

    __tablename__ = "problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    source_ref: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    goal: Mapped[str | None] = mapped_column(Text)
    """整改目标"""
    measures: Mapped[str | None] = mapped_column(Text)
    """整改措施"""
    deadline: Mapped[date] = mapped_column(Date)
    """完成时限 (moved by an approved 延期; ``original_deadline`` keeps the first)."""
    original_deadline: Mapped[date] = mapped_column(Date)
    requested_deadline: Mapped[date | None] = mapped_column(Date)
    responsible_leader: Mapped[str | None] = mapped_column(Text)
    lead_unit: Mapped[str | None] = mapped_column(String(64))
    responsible_units: Mapped[list[str]] = mapped_column(JSONType, default=list)
    location: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(32), index=True)
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()
    events: Mapped[list[ProblemEvent]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="ProblemEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class ProblemEvent(Base):
    """A step of a problem: a transition taken (with its comment), or an escalation."""

    __tablename__ = "problem_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    problem: Mapped[Problem] = relationship(back_populates="events")
