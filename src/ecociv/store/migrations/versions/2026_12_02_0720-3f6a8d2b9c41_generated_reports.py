"""generated reports: each version generated on the platform, its file, author and data revision

Revision ID: 3f6a8d2b9c41
Revises: 3e8a6b1c0d47
Create Date: 2026-12-02 07:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ecociv.store.models import UTCDateTime

revision: str = "3f6a8d2b9c41"
down_revision: str | None = "3e8a6b1c0d47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "generated_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("fmt", sa.String(length=8), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("standard", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("data_revision", sa.String(length=64), nullable=False),
        sa.Column("narratives", JSON, nullable=False),
        sa.Column("template_name", sa.String(length=255), nullable=True),
        sa.Column("template_file", sa.String(length=200), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_generated_report_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["region.id"],
            name=op.f("fk_generated_report_region_id_region"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_report")),
    )
    op.create_index(
        op.f("ix_generated_report_plan_id"),
        "generated_report",
        ["plan_id", "region_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_generated_report_plan_id"), "generated_report")
    op.drop_table("generated_report")
