"""Performance evaluations (绩效评价) of the project library: one per project and year.

``scores`` holds each indicator of the indicator set (``projects/data/performance.yaml``,
the ``indicator_set_version`` used) as ``{code: {"score": float | None, "comment": str}}``;
``score`` None marks the indicator 不适用 (its points are redistributed, see
:mod:`ecociv.projects.performance`).  The row is versioned (optimistic locking) like the rest
of the library.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, JSONType, utcnow
from ecociv.store.tables.projects_life import ProjectRecord


class ProjectEvaluation(Base):
    """The evaluation of one project record in one year: the evaluator's scores and
    comments, the total out of 100 and its grade (优/良/中/差)."""

    __tablename__ = "project_evaluation"
    __table_args__ = (UniqueConstraint("record_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("project_record.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    indicator_set_version: Mapped[str] = mapped_column(String(32))
    evaluator: Mapped[str] = mapped_column(String(200))
    evaluated_on: Mapped[date] = mapped_column(Date)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    total: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[ProjectRecord] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)
