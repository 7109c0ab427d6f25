"""GEP accounts: one computed account per region, year, method set and version, and its lines

Revision ID: 3e8a6b1c0d47
Revises: 3f8a61c2d9b4
Create Date: 2026-12-02 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ecociv.store.models import UTCDateTime

revision: str = "3e8a6b1c0d47"
down_revision: str | None = "3f8a61c2d9b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "gep_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("method_code", sa.String(length=100), nullable=False),
        sa.Column("method_document", sa.Text(), nullable=False),
        sa.Column("method_verified", sa.Boolean(), nullable=False),
        sa.Column("price_set_code", sa.String(length=100), nullable=False),
        sa.Column("price_set_version", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("input_filename", sa.String(length=255), nullable=False),
        sa.Column("input_workbook", sa.LargeBinary(), nullable=False),
        sa.Column("ecociv_version", sa.String(length=32), nullable=False),
        sa.Column("gross", sa.Float(), nullable=False),
        sa.Column("deduction", sa.Float(), nullable=False),
        sa.Column("gep", sa.Float(), nullable=False),
        sa.Column("gdp", sa.Float(), nullable=True),
        sa.Column("yoy", sa.Float(), nullable=True),
        sa.Column("result", JSON, nullable=False),
        sa.Column("computed_by", sa.String(length=100), nullable=True),
        sa.Column("computed_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_gep_account_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gep_account")),
        sa.UniqueConstraint(
            "region_id",
            "year",
            "method_code",
            "version",
            name=op.f("uq_gep_account_region_id_year_method_code_version"),
        ),
    )
    with op.batch_alter_table("gep_account") as batch:
        batch.create_index(batch.f("ix_gep_account_region_id"), ["region_id"], unique=False)
    op.create_table(
        "gep_account_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("account_code", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("zh", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("price_unit", sa.String(length=32), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("valuation", sa.String(length=64), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("provenance", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["gep_account.id"],
            name=op.f("fk_gep_account_line_account_id_gep_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gep_account_line")),
        sa.UniqueConstraint("account_id", "code", name=op.f("uq_gep_account_line_account_id_code")),
    )
    with op.batch_alter_table("gep_account_line") as batch:
        batch.create_index(batch.f("ix_gep_account_line_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_table("gep_account_line")
    op.drop_table("gep_account")
