"""document text columns unbounded

Revision ID: aef983f2782c
Revises: e576c4aa1070
Create Date: 2026-11-22 11:11:55.722821
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "aef983f2782c"
down_revision: str | None = "e576c4aa1070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.alter_column(
            "source", existing_type=sa.VARCHAR(length=200), type_=sa.Text(), existing_nullable=True
        )

    with op.batch_alter_table("observation_history", schema=None) as batch_op:
        batch_op.alter_column(
            "source", existing_type=sa.VARCHAR(length=200), type_=sa.Text(), existing_nullable=True
        )

    with op.batch_alter_table("plan_indicator", schema=None) as batch_op:
        batch_op.alter_column(
            "seq", existing_type=sa.VARCHAR(length=32), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "domain", existing_type=sa.VARCHAR(length=100), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "task", existing_type=sa.VARCHAR(length=200), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "unit", existing_type=sa.VARCHAR(length=64), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "attribute",
            existing_type=sa.VARCHAR(length=16),
            type_=sa.Text(),
            existing_nullable=True,
        )

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.alter_column(
            "seq", existing_type=sa.VARCHAR(length=32), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "category",
            existing_type=sa.VARCHAR(length=200),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "subcategory",
            existing_type=sa.VARCHAR(length=200),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "nature", existing_type=sa.VARCHAR(length=32), type_=sa.Text(), existing_nullable=True
        )
        batch_op.alter_column(
            "period_text",
            existing_type=sa.VARCHAR(length=100),
            type_=sa.Text(),
            existing_nullable=True,
        )

    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.alter_column(
            "source", existing_type=sa.VARCHAR(length=200), type_=sa.Text(), existing_nullable=True
        )

    with op.batch_alter_table("standard_indicator", schema=None) as batch_op:
        batch_op.alter_column(
            "attribute",
            existing_type=sa.VARCHAR(length=16),
            type_=sa.Text(),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("standard_indicator", schema=None) as batch_op:
        batch_op.alter_column(
            "attribute",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=16),
            existing_nullable=True,
        )

    with op.batch_alter_table("standard", schema=None) as batch_op:
        batch_op.alter_column(
            "source", existing_type=sa.Text(), type_=sa.VARCHAR(length=200), existing_nullable=True
        )

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.alter_column(
            "period_text",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=100),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "nature", existing_type=sa.Text(), type_=sa.VARCHAR(length=32), existing_nullable=True
        )
        batch_op.alter_column(
            "subcategory",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=200),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "category",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=200),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "seq", existing_type=sa.Text(), type_=sa.VARCHAR(length=32), existing_nullable=True
        )

    with op.batch_alter_table("plan_indicator", schema=None) as batch_op:
        batch_op.alter_column(
            "attribute",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=16),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "unit", existing_type=sa.Text(), type_=sa.VARCHAR(length=64), existing_nullable=True
        )
        batch_op.alter_column(
            "task", existing_type=sa.Text(), type_=sa.VARCHAR(length=200), existing_nullable=True
        )
        batch_op.alter_column(
            "domain", existing_type=sa.Text(), type_=sa.VARCHAR(length=100), existing_nullable=True
        )
        batch_op.alter_column(
            "seq", existing_type=sa.Text(), type_=sa.VARCHAR(length=32), existing_nullable=True
        )

    with op.batch_alter_table("observation_history", schema=None) as batch_op:
        batch_op.alter_column(
            "source", existing_type=sa.Text(), type_=sa.VARCHAR(length=200), existing_nullable=True
        )

    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.alter_column(
            "source", existing_type=sa.Text(), type_=sa.VARCHAR(length=200), existing_nullable=True
        )
