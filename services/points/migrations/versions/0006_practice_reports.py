"""practice reports: rubrics, reports, transitions, scores, near-copy buckets, attachments

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _report() -> sa.Column[int]:
    return sa.Column("report_id", sa.Integer(), sa.ForeignKey("points_reports.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "points_report_rubrics",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("reviewers", sa.Integer(), nullable=False),
        sa.Column("disagreement", sa.Float(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_points_report_rubrics"),
    )
    op.create_table(
        "points_reports",
        _id(),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("points_members.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("points_units.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("learned_kind", sa.String(16), nullable=False),
        sa.Column("learned_ref", sa.String(128), nullable=True),
        sa.Column("learned_text", sa.Text(), nullable=False),
        sa.Column("applied", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column(
            "rubric_id", sa.Integer(), sa.ForeignKey("points_report_rubrics.id"), nullable=True
        ),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(16), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("appeal_reason", sa.Text(), nullable=True),
        sa.Column("appealed_at", sa.DateTime(), nullable=True),
        sa.Column("appeal_round", sa.Integer(), nullable=True),
        sa.Column("exemplary_by", sa.String(100), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("award_event_id", sa.Integer(), sa.ForeignKey("points_events.id"), nullable=True),
        sa.Column("awarded_rating", sa.String(16), nullable=True),
        sa.Column(
            "near_report_id", sa.Integer(), sa.ForeignKey("points_reports.id"), nullable=True
        ),
        sa.Column("near_similarity", sa.Float(), nullable=True),
    )
    op.create_index("ix_points_reports_member_id", "points_reports", ["member_id"])
    op.create_index(
        "ix_points_reports_state_submitted", "points_reports", ["state", "submitted_at"]
    )
    op.create_index("ix_points_reports_unit_state", "points_reports", ["unit_id", "state"])
    op.create_table(
        "points_report_transitions",
        _id(),
        _report(),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_points_report_transitions_report_id", "points_report_transitions", ["report_id"]
    )
    op.create_table(
        "points_report_scores",
        _id(),
        _report(),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("report_id", "round", "reviewer", name="uq_points_report_scores"),
    )
    op.create_table(
        "points_report_buckets",
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("points_reports.id"), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("report_id", "band"),
    )
    op.create_index("ix_points_report_buckets_bucket", "points_report_buckets", ["bucket"])
    op.create_table(
        "points_report_attachments",
        _id(),
        _report(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_points_report_attachments_report_id", "points_report_attachments", ["report_id"]
    )


def downgrade() -> None:
    for table in (
        "points_report_attachments",
        "points_report_buckets",
        "points_report_scores",
        "points_report_transitions",
        "points_reports",
        "points_report_rubrics",
    ):
        op.drop_table(table)
