"""members, units, events, ledger, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-26 22:04:05.313789
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "points_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["points_units.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("points_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_units_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "points_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_no", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["points_units.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("staff_no"),
    )
    with op.batch_alter_table("points_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_members_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "points_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["points_members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sender", "external_id", name="uq_points_events_sender_id"),
    )
    with op.batch_alter_table("points_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_events_member_id"), ["member_id"], unique=False)

    op.create_table(
        "points_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["points_events.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["points_members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["points_units.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("points_ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_points_ledger_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_points_ledger_local_date"), ["local_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_points_ledger_member_id"), ["member_id"], unique=False)

    op.create_table(
        "points_projection_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["points_ledger.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id"),
    )


def downgrade() -> None:

    op.drop_table("points_projection_outbox")
    with op.batch_alter_table("points_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_ledger_member_id"))
        batch_op.drop_index(batch_op.f("ix_points_ledger_local_date"))
        batch_op.drop_index(batch_op.f("ix_points_ledger_event_id"))

    op.drop_table("points_ledger")
    with op.batch_alter_table("points_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_events_member_id"))

    op.drop_table("points_events")
    with op.batch_alter_table("points_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_members_unit_id"))

    op.drop_table("points_members")
    with op.batch_alter_table("points_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_points_units_parent_id"))

    op.drop_table("points_units")
