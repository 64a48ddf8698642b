"""outbound delivery (subscriptions, events, deliveries, attempts) and nudges

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _member() -> sa.Column[int]:
    return sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "points_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(200), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("text_format", sa.String(16), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("points_units.id"), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "points_outbound_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "points_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("points_outbound_events.id"), nullable=False
        ),
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey("points_subscriptions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("address", sa.String(254), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("leased_until", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_points_deliveries_state_due", "points_deliveries", ["state", "due_at"])
    op.create_index("ix_points_deliveries_event_id", "points_deliveries", ["event_id"])
    op.create_index(
        "ix_points_deliveries_subscription_id", "points_deliveries", ["subscription_id"]
    )
    op.create_table(
        "points_delivery_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "delivery_id", sa.Integer(), sa.ForeignKey("points_deliveries.id"), nullable=False
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_index(
        "ix_points_delivery_attempts_delivery_id", "points_delivery_attempts", ["delivery_id"]
    )
    op.create_table(
        "points_nudges",
        sa.Column("id", sa.Integer(), primary_key=True),
        _member(),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sent_by", sa.String(100), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_points_nudges_member_id", "points_nudges", ["member_id"])
    op.create_index("ix_points_nudges_sent_at", "points_nudges", ["sent_at"])
    op.create_table(
        "points_nudge_preferences",
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), primary_key=True),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("points_nudge_preferences")
    op.drop_index("ix_points_nudges_sent_at", table_name="points_nudges")
    op.drop_index("ix_points_nudges_member_id", table_name="points_nudges")
    op.drop_table("points_nudges")
    op.drop_index("ix_points_delivery_attempts_delivery_id", table_name="points_delivery_attempts")
    op.drop_table("points_delivery_attempts")
    for name in ("subscription_id", "event_id", "state_due"):
        op.drop_index(f"ix_points_deliveries_{name}", table_name="points_deliveries")
    op.drop_table("points_deliveries")
    op.drop_table("points_outbound_events")
    op.drop_table("points_subscriptions")
