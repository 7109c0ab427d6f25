"""project performance evaluations (绩效评价)

Revision ID: 8b3d5f1a2c69
Revises: 3e8a14c0d2b6
Create Date: 2026-12-02 08:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ecociv.store.models import UTCDateTime

revision: str = "8b3d5f1a2c69"
down_revision: str | None = "3e8a14c0d2b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator_set_version", sa.String(length=32), nullable=False),
        sa.Column("evaluator", sa.String(length=200), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column(
            "scores",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["project_record.id"],
            name=op.f("fk_project_evaluation_record_id_project_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_evaluation")),
        sa.UniqueConstraint("record_id", "year", name=op.f("uq_project_evaluation_record_id_year")),
    )
    with op.batch_alter_table("project_evaluation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_evaluation_record_id"), ["record_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_evaluation_record_id"))
    op.drop_table("project_evaluation")
