"""rule engine state, badges, audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "points_rule_state",
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "key"),
    )
    op.create_table(
        "points_badges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("window", sa.String(length=16), nullable=False),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("points_ledger.id"), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("icon", sa.String(length=200), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("awarded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "code", "window", name="uq_points_badges"),
    )
    op.create_index("ix_points_badges_member_id", "points_badges", ["member_id"])
    op.create_table(
        "points_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("request_key", sa.String(length=128), nullable=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actor", "request_key", name="uq_points_audit_request"),
    )
    op.create_index("ix_points_audit_log_member_id", "points_audit_log", ["member_id"])
    # Re-scoring and previews read a period's events by time.
    op.create_index("ix_points_events_occurred_at", "points_events", ["occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_points_events_occurred_at", table_name="points_events")
    op.drop_index("ix_points_audit_log_member_id", table_name="points_audit_log")
    op.drop_table("points_audit_log")
    op.drop_index("ix_points_badges_member_id", table_name="points_badges")
    op.drop_table("points_badges")
    op.drop_table("points_rule_state")
