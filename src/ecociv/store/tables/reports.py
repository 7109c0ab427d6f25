"""Generated reports (报告生成记录): each version a user generated on the platform, with the
file kept under the data folder, who made it and when, the data revision it was built from,
the edited narrative sections, and the template used (``docs/reports.md``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, JSONType, Region, utcnow


class GeneratedReport(Base):
    """One generated file.  ``file_name`` is relative to ``<data_dir>/reports``; a template
    the user uploaded is kept beside it (``template_file``), the default one is not."""

    __tablename__ = "generated_report"
    __table_args__ = (Index(None, "plan_id", "region_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    fmt: Mapped[str] = mapped_column(String(8))
    lang: Mapped[str] = mapped_column(String(8))
    standard: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    plan_version: Mapped[int]
    data_revision: Mapped[str] = mapped_column(String(64))
    narratives: Mapped[dict[str, Any]] = mapped_column(JSONType)
    """Section key → ``{"title", "text"}``: the texts as the report printed them."""
    template_name: Mapped[str | None] = mapped_column(String(255))
    """The uploaded template's file name; None for the default template."""
    template_file: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()
