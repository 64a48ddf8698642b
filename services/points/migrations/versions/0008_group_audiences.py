"""custom groups as an audience: expected attendees and quiz members tagged with their group

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("points_session_expected") as batch:
        batch.add_column(sa.Column("group_code", sa.String(64), nullable=True))
    op.create_table(
        "points_quiz_group_members",
        sa.Column("quiz_id", sa.Integer(), sa.ForeignKey("points_quizzes.id"), nullable=False),
        sa.Column("group_code", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=False),
        sa.PrimaryKeyConstraint("quiz_id", "group_code", "member_id"),
    )
    op.create_index(
        "ix_points_quiz_group_members_member_id", "points_quiz_group_members", ["member_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_points_quiz_group_members_member_id", table_name="points_quiz_group_members")
    op.drop_table("points_quiz_group_members")
    with op.batch_alter_table("points_session_expected") as batch:
        batch.drop_column("group_code")
