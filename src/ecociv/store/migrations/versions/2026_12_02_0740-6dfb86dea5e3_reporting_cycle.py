"""reporting cycle: data ownership, reporting periods, reports and their steps, returned
values, quotas from above and manual judgements

Revision ID: 6dfb86dea5e3
Revises: 3f6a8d2b4c71
Create Date: 2026-12-02 07:22:54
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ecociv.store.models import UTCDateTime

revision: str = "6dfb86dea5e3"
down_revision: str | None = "3f6a8d2b4c71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "manual_judgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_manual_judgement_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manual_judgement")),
        sa.UniqueConstraint(
            "region_id",
            "indicator_code",
            "year",
            name=op.f("uq_manual_judgement_region_id_indicator_code_year"),
        ),
    )
    with op.batch_alter_table("manual_judgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_manual_judgement_region_id"), ["region_id"], unique=False
        )

    op.create_table(
        "quota",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_quota_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quota")),
        sa.UniqueConstraint(
            "region_id",
            "indicator_code",
            "year",
            name=op.f("uq_quota_region_id_indicator_code_year"),
        ),
    )
    with op.batch_alter_table("quota", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quota_region_id"), ["region_id"], unique=False)

    op.create_table(
        "indicator_ownership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=100), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_indicator_ownership_department_id_department"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_indicator_ownership_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_ownership")),
        sa.UniqueConstraint(
            "plan_id", "indicator_code", name=op.f("uq_indicator_ownership_plan_id_indicator_code")
        ),
    )
    with op.batch_alter_table("indicator_ownership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_ownership_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_indicator_ownership_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "reporting_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=True),
        sa.Column("opened_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_reporting_period_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("plan_id", "year", name=op.f("uq_reporting_period_plan_id_year")),
    )
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporting_period_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "period_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("first_submitted_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_period_report_department_id_department"),
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_period_report_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_period_report_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_report")),
        sa.UniqueConstraint(
            "period_id",
            "department_id",
            "region_id",
            name=op.f("uq_period_report_period_id_department_id_region_id"),
        ),
    )
    with op.batch_alter_table("period_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_period_report_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_period_report_period_id"), ["period_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_period_report_region_id"), ["region_id"], unique=False)

    op.create_table(
        "report_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("transition", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["period_report.id"],
            name=op.f("fk_report_step_report_id_period_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_step")),
    )
    with op.batch_alter_table("report_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_step_report_id"), ["report_id"], unique=False)

    op.create_table(
        "returned_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=100), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("returned_by", sa.String(length=100), nullable=True),
        sa.Column("returned_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["period_report.id"],
            name=op.f("fk_returned_value_report_id_period_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returned_value")),
    )
    with op.batch_alter_table("returned_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_returned_value_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("returned_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returned_value_report_id"))

    op.drop_table("returned_value")
    with op.batch_alter_table("report_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_step_report_id"))

    op.drop_table("report_step")
    with op.batch_alter_table("period_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_report_region_id"))
        batch_op.drop_index(batch_op.f("ix_period_report_period_id"))
        batch_op.drop_index(batch_op.f("ix_period_report_department_id"))

    op.drop_table("period_report")
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_period_plan_id"))

    op.drop_table("reporting_period")
    with op.batch_alter_table("indicator_ownership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_ownership_plan_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_ownership_department_id"))

    op.drop_table("indicator_ownership")
    with op.batch_alter_table("quota", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quota_region_id"))

    op.drop_table("quota")
    with op.batch_alter_table("manual_judgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manual_judgement_region_id"))

    op.drop_table("manual_judgement")
