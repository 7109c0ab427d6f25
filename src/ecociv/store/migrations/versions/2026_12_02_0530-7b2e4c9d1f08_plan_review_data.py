"""plan review data: column mapping and check findings per plan version, accepted findings

Revision ID: 7b2e4c9d1f08
Revises: 5c1d2e7f9a30
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ecociv.store.models import UTCDateTime

revision: str = "7b2e4c9d1f08"
down_revision: str | None = "5c1d2e7f9a30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("plan_version") as batch:
        batch.add_column(sa.Column("column_map", JSON, nullable=True))
        batch.add_column(sa.Column("findings", JSON, nullable=True))
    op.create_table(
        "accepted_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.String(length=100), nullable=False),
        sa.Column("accepted_by", sa.String(length=100), nullable=True),
        sa.Column("accepted_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_accepted_finding_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accepted_finding")),
        sa.UniqueConstraint(
            "plan_id", "finding_id", name=op.f("uq_accepted_finding_plan_id_finding_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("accepted_finding")
    with op.batch_alter_table("plan_version") as batch:
        batch.drop_column("findings")
        batch.drop_column("column_map")
