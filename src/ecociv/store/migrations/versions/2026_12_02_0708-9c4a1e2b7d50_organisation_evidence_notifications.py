"""organisation, evidence, notifications: departments and users' departments and e-mail,
evidence files, notifications

Revision ID: 9c4a1e2b7d50
Revises: 7b2e4c9d1f08
Create Date: 2026-12-02 07:08:35
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ecociv.store.models import UTCDateTime

revision: str = "9c4a1e2b7d50"
down_revision: str | None = "7b2e4c9d1f08"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("email_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint(
            "recipient", "dedupe_key", name=op.f("uq_notification_recipient_dedupe_key")
        ),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_notification_recipient"), ["recipient"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=40), nullable=False),
        sa.Column("owner_key", sa.String(length=300), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_attachment_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_owner_key"), ["owner_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_owner_kind"), ["owner_kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_region_id"), ["region_id"], unique=False)

    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_department_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("code", name=op.f("uq_department_code")),
    )
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_department_region_id"), ["region_id"], unique=False)

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_user_account_department_id"), ["department_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_user_account_department_id_department"),
            "department",
            ["department_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_user_account_department_id_department"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_user_account_department_id"))
        batch_op.drop_column("email")
        batch_op.drop_column("department_id")

    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_region_id"))

    op.drop_table("department")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_region_id"))
        batch_op.drop_index(batch_op.f("ix_attachment_owner_kind"))
        batch_op.drop_index(batch_op.f("ix_attachment_owner_key"))

    op.drop_table("attachment")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_recipient"))
        batch_op.drop_index(batch_op.f("ix_notification_created_at"))

    op.drop_table("notification")
