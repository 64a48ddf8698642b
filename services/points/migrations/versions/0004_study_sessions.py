"""study sessions: series, expected attendees, attendance records, corrections, excuses

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, table: str, **kwargs: Any) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(f"{table}.id"), **kwargs)


def upgrade() -> None:
    op.create_table(
        "points_session_series",
        _id(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "points_study_sessions",
        _id(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("ends_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("link", sa.String(500), nullable=True),
        sa.Column("lecturer", sa.String(200), nullable=True),
        sa.Column("grace_minutes", sa.Integer(), nullable=False),
        _fk("series_id", "points_session_series", nullable=True, index=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True, index=True),
    )
    op.create_table(
        "points_session_expected",
        _id(),
        _fk("session_id", "points_study_sessions", nullable=False, index=True),
        _fk("unit_id", "points_units", nullable=True, index=True),
        _fk("member_id", "points_members", nullable=True, index=True),
    )
    op.create_table(
        "points_session_attendance",
        _fk("session_id", "points_study_sessions", primary_key=True),
        _fk("member_id", "points_members", primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        _fk("event_id", "points_events", nullable=False),
        sa.Column("expected", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_points_session_attendance_member",
        "points_session_attendance",
        ["member_id", "session_id"],
    )
    op.create_table(
        "points_session_corrections",
        _id(),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        _fk("session_id", "points_study_sessions", nullable=False, index=True),
        _fk("member_id", "points_members", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _fk("reversed_event_id", "points_events", nullable=False),
        _fk("entry_id", "points_ledger", nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "points_session_excuses",
        _id(),
        _fk("session_id", "points_study_sessions", nullable=False, index=True),
        _fk("member_id", "points_members", nullable=False, index=True),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(2000), nullable=True),
        sa.UniqueConstraint("session_id", "member_id", name="uq_points_session_excuse"),
    )


def downgrade() -> None:
    for table in (
        "points_session_excuses",
        "points_session_corrections",
        "points_session_attendance",
        "points_session_expected",
        "points_study_sessions",
        "points_session_series",
    ):
        op.drop_table(table)
