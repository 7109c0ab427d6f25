"""The yearly reporting cycle (年度填报): who owns each indicator's data, the reporting periods,
each department's report of a period and its approval, and the manual inputs a verdict may
need (上级下达目标, 人工判定).

The approval unit follows DHIS2's data approval: a data set (here: the indicators one
department owns in a plan) × a period × an organisation unit (here: a region).  Its state is
the state of the ``data_approval`` workflow (``ecociv/workflow/definitions``); ``version``
guards each transition against a concurrent one (SQLAlchemy ``version_id_col``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecociv.store.models import Base, Plan, Region, utcnow

FREQUENCIES = ("annual",)
"""Reporting frequencies (报送频次) a plan's indicator may have; the cycle opens yearly periods."""
MANUAL_STATUSES = ("met", "not_met", "not_applicable", "in_progress")
"""The verdicts a person may give where the engine needs review (docs/verdicts.md)."""


class IndicatorOwnership(Base):
    """The responsible department (数据责任单位) of one indicator of a plan, and how often it
    reports.  Keyed by the indicator's stable code, so it survives a re-import of the plan."""

    __tablename__ = "indicator_ownership"
    __table_args__ = (UniqueConstraint("plan_id", "indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    frequency: Mapped[str] = mapped_column(String(16), default="annual")
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportingPeriod(Base):
    """A reporting period (填报周期) of a plan: the year reported and the deadline (截止日期)."""

    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("plan_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    deadline: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship()
    reports: Mapped[list[PeriodReport]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="PeriodReport.id"
    )


class PeriodReport(Base):
    """One department's report of a period for one region: the unit that is submitted,
    reviewed, approved (and so locked), returned and unlocked."""

    __tablename__ = "period_report"
    __table_args__ = (UniqueConstraint("period_id", "department_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    state: Mapped[str] = mapped_column(String(32))
    first_submitted_at: Mapped[datetime | None]
    """When the report was first submitted: what timeliness (及时率) is measured by."""
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    period: Mapped[ReportingPeriod] = relationship(back_populates="reports")
    region: Mapped[Region] = relationship()
    steps: Mapped[list[ReportStep]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportStep.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class ReportStep(Base):
    """One transition a report went through (who, when, from, to, comment): its history."""

    __tablename__ = "report_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("period_report.id", ondelete="CASCADE"), index=True
    )
    transition: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[PeriodReport] = relationship(back_populates="steps")


class ReturnedValue(Base):
    """A value a reviewer sent back for correction (退回), with the reviewer's comment; it is
    resolved when the report is submitted again."""

    __tablename__ = "returned_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("period_report.id", ondelete="CASCADE"), index=True
    )
    indicator_code: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text)
    returned_by: Mapped[str | None] = mapped_column(String(100))
    returned_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class Quota(Base):
    """The target handed down from above (上级下达目标) for a region, an indicator and a year,
    as a requirement text (``≤30``, ``下降10%``) with the document it comes from."""

    __tablename__ = "quota"
    __table_args__ = (UniqueConstraint("region_id", "indicator_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(100))
    year: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)


class ManualJudgement(Base):
    """A reasoned manual judgement (人工判定) of an indicator for a region and a year, used
    where the engine answers 需人工判定."""

    __tablename__ = "manual_judgement"
    __table_args__ = (UniqueConstraint("region_id", "indicator_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(100))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared name)
