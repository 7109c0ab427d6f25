"""region default standard (readiness view), target parse stored at write

Revision ID: 3f8a61c2d9b4
Revises: 3f8a6d2c1b47
Create Date: 2026-12-02 07:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3f8a61c2d9b4"
down_revision: str | None = "3f8a6d2c1b47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_standard", sa.String(length=32), nullable=True))
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parsed", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_column("parsed")
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_column("default_standard")
