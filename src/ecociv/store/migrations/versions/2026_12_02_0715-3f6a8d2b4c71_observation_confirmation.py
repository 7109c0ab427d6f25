"""observation confirmation: the editor's reason for keeping an outlier

Revision ID: 3f6a8d2b4c71
Revises: 3f6a8d2b9c41
Create Date: 2026-12-02 07:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f6a8d2b4c71"
down_revision: str | None = "3f6a8d2b9c41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("observation", "observation_history"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("confirmation", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("observation_history", "observation"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("confirmation")
