"""unit leaders, and the indexes the organisation's figures read through

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("points_members") as batch:
        batch.add_column(
            sa.Column("leader", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # A period's points per member, and who had an entry, read from the index alone.
    op.create_index(
        "ix_points_ledger_date_member", "points_ledger", ["local_date", "member_id", "points"]
    )
    # Quiz attempts in a period (the events of one type over a time range).
    op.create_index("ix_points_events_type_occurred", "points_events", ["type", "occurred_at"])
    op.create_index("ix_points_reports_submitted", "points_reports", ["submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_points_reports_submitted", table_name="points_reports")
    op.drop_index("ix_points_events_type_occurred", table_name="points_events")
    op.drop_index("ix_points_ledger_date_member", table_name="points_ledger")
    with op.batch_alter_table("points_members") as batch:
        batch.drop_column("leader")
