"""The project library (项目库): each key project's life, 调度 reports, milestones, funding,
change requests and the plan indicators it serves.

A :class:`ProjectRecord` follows one ``project`` row (the plan version's project list, which
only an approved :class:`ProjectChange` alters).  Rows that several people edit carry a
``version`` column (SQLAlchemy ``version_id_col``), as observations do: an update names the
version it read and a concurrent one is refused, never silently overwritten.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, JSONType, Plan, Project, Region, utcnow


class ProjectRecord(Base):
    """A project in the library: its lifecycle state (workflow ``project_lifecycle``), the
    date each state was entered, and what the plan's table does not hold (location, scale,
    technical plan, reporting frequency)."""

    __tablename__ = "project_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), unique=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    state: Mapped[str] = mapped_column(String(32))
    state_dates: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    """``{state: "YYYY-MM-DD"}``: when the project last entered each state."""
    location: Mapped[str | None] = mapped_column(Text)
    scale: Mapped[str | None] = mapped_column(Text)
    technical_plan: Mapped[str | None] = mapped_column(Text)
    report_frequency: Mapped[str] = mapped_column(String(16), default="quarterly")
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship()
    plan: Mapped[Plan] = relationship()
    region: Mapped[Region] = relationship()
    milestones: Mapped[list[ProjectMilestone]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="ProjectMilestone.planned"
    )
    funding: Mapped[list[ProjectFunding]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="ProjectFunding.source"
    )
    reports: Mapped[list[DispatchReport]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="DispatchReport.period"
    )
    indicator_links: Mapped[list[ProjectIndicatorLink]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="ProjectIndicatorLink.indicator_code",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class ProjectMilestone(Base):
    """A node (节点) of a project: planned date, and the actual date once reached."""

    __tablename__ = "project_milestone"
    __table_args__ = (UniqueConstraint("record_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("project_record.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    planned: Mapped[date] = mapped_column(Date)
    actual: Mapped[date | None] = mapped_column(Date)

    record: Mapped[ProjectRecord] = relationship(back_populates="milestones")


class ProjectFunding(Base):
    """One funding channel of a project (``source`` from ``projects/data/funding.yaml``)."""

    __tablename__ = "project_funding"
    __table_args__ = (UniqueConstraint("record_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("project_record.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(32))
    amount_wan_yuan: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    record: Mapped[ProjectRecord] = relationship(back_populates="funding")


class ProjectIndicatorLink(Base):
    """A plan indicator (by its stable code) that the project serves."""

    __tablename__ = "project_indicator_link"
    __table_args__ = (UniqueConstraint("record_id", "indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("project_record.id", ondelete="CASCADE"), index=True
    )
    indicator_code: Mapped[str] = mapped_column(String(100))

    record: Mapped[ProjectRecord] = relationship(back_populates="indicator_links")


class DispatchReport(Base):
    """A 调度 report of one period (``2025-03`` monthly, ``2025-Q1`` quarterly).

    ``milestones`` holds the report's milestone statements ``[{name, planned, actual}]`` as
    the unit reported them; reported actual dates are also written to the milestones.
    """

    __tablename__ = "dispatch_report"
    __table_args__ = (UniqueConstraint("record_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("project_record.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(8))
    progress_percent: Mapped[float | None] = mapped_column(Float)
    planned_progress_percent: Mapped[float | None] = mapped_column(Float)
    invested_period_wan_yuan: Mapped[float | None] = mapped_column(Float)
    invested_to_date_wan_yuan: Mapped[float | None] = mapped_column(Float)
    planned_year_wan_yuan: Mapped[float | None] = mapped_column(Float)
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    problems: Mapped[list[str]] = mapped_column(JSONType, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[ProjectRecord] = relationship(back_populates="reports")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class ProjectChange(Base):
    """A change request (动态调整) of one field, ``pending`` until approved or refused; only an
    approval writes ``new_value`` to the project."""

    __tablename__ = "project_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("project_record.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    requested_by: Mapped[str | None] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(Text)

    record: Mapped[ProjectRecord] = relationship()
