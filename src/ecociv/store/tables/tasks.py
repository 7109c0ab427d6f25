"""A plan's key tasks (重点任务) decomposed to departments (任务分解), with progress reports.

A :class:`KeyTask` belongs to a plan and, through ``year``, to that year's work plan
(年度工作计划); each :class:`TaskAssignment` gives it to one department as lead (牵头) or
cooperating (配合) unit and follows the workflow ``task_assignment``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, JSONType, Plan, Region, utcnow
from ecociv.store.tables.org import Department


class KeyTask(Base):
    __tablename__ = "key_task"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    chapter: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    deliverables: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    year: Mapped[int | None]
    indicator_codes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship()
    region: Mapped[Region] = relationship()
    assignments: Mapped[list[TaskAssignment]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskAssignment.id"
    )


class TaskAssignment(Base):
    __tablename__ = "task_assignment"
    __table_args__ = (UniqueConstraint("task_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("key_task.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    measures: Mapped[str | None] = mapped_column(Text)
    deliverables: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(32), index=True)
    done_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[KeyTask] = relationship(back_populates="assignments")
    department: Mapped[Department] = relationship()
    reports: Mapped[list[TaskReport]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", order_by="TaskReport.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class TaskReport(Base):
    """A progress report of one assignment (evidence files hang on it by its id), or a
    workflow step with its comment (``action`` the step's name)."""

    __tablename__ = "task_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("task_assignment.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    percent: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[TaskAssignment] = relationship(back_populates="reports")
