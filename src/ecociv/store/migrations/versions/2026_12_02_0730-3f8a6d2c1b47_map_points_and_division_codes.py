"""map: regions' GB/T 2260 division codes, project coordinates, monitoring stations

Revision ID: 3f8a6d2c1b47
Revises: 9c4a1e2b7d50
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ecociv.store.models import UTCDateTime

revision: str = "3f8a6d2c1b47"
down_revision: str | None = "9c4a1e2b7d50"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("region") as batch:
        batch.add_column(sa.Column("division_code", sa.String(length=12), nullable=True))
        batch.create_unique_constraint(op.f("uq_region_division_code"), ["division_code"])
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("lon", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
    op.create_table(
        "monitoring_station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_monitoring_station_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_station")),
        sa.UniqueConstraint("code", name=op.f("uq_monitoring_station_code")),
    )
    op.create_index(
        op.f("ix_monitoring_station_region_id"), "monitoring_station", ["region_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_monitoring_station_region_id"), table_name="monitoring_station")
    op.drop_table("monitoring_station")
    with op.batch_alter_table("project") as batch:
        batch.drop_column("lat")
        batch.drop_column("lon")
    with op.batch_alter_table("region") as batch:
        batch.drop_constraint(op.f("uq_region_division_code"), type_="unique")
        batch.drop_column("division_code")
