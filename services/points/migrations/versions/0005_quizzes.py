"""quizzes: windows, pop quizzes, the units and members each is for

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "points_quizzes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("pass_mark", sa.Float(), nullable=False),
        sa.Column("pop", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_points_quizzes_opens_at", "points_quizzes", ["opens_at"])
    op.create_table(
        "points_quiz_units",
        sa.Column("quiz_id", sa.Integer(), sa.ForeignKey("points_quizzes.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("points_units.id"), nullable=False),
        sa.PrimaryKeyConstraint("quiz_id", "unit_id"),
    )
    op.create_table(
        "points_quiz_members",
        sa.Column("quiz_id", sa.Integer(), sa.ForeignKey("points_quizzes.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=False),
        sa.PrimaryKeyConstraint("quiz_id", "member_id"),
    )


def downgrade() -> None:
    op.drop_table("points_quiz_members")
    op.drop_table("points_quiz_units")
    op.drop_index("ix_points_quizzes_opens_at", table_name="points_quizzes")
    op.drop_table("points_quizzes")
