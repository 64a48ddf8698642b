"""pulse surveys: surveys, their rounds and units, who answered (apart from the answers)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ROUND = "points_survey_rounds.id"


def upgrade() -> None:
    op.create_table(
        "points_surveys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "points_survey_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("survey_id", sa.Integer(), sa.ForeignKey("points_surveys.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("repeat", sa.String(16), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("survey_id", "number"),
    )
    op.create_index("ix_points_survey_rounds_survey_id", "points_survey_rounds", ["survey_id"])
    op.create_table(
        "points_survey_round_units",
        sa.Column("round_id", sa.Integer(), sa.ForeignKey(ROUND), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("points_units.id"), primary_key=True),
    )
    op.create_table(
        "points_survey_respondents",
        sa.Column("round_id", sa.Integer(), sa.ForeignKey(ROUND), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), primary_key=True),
    )
    op.create_table(
        "points_survey_responses",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey(ROUND), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("points_units.id"), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
    )
    op.create_index("ix_points_survey_responses_round_id", "points_survey_responses", ["round_id"])


def downgrade() -> None:
    op.drop_index("ix_points_survey_responses_round_id", table_name="points_survey_responses")
    op.drop_table("points_survey_responses")
    op.drop_table("points_survey_respondents")
    op.drop_table("points_survey_round_units")
    op.drop_index("ix_points_survey_rounds_survey_id", table_name="points_survey_rounds")
    op.drop_table("points_survey_rounds")
    op.drop_table("points_surveys")
