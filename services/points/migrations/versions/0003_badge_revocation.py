"""badges revoked by a re-score keep their row, with a marker

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

HELD = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("points_badges") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column(
                "revoked_entry_id",
                sa.Integer(),
                sa.ForeignKey("points_ledger.id", name="fk_points_badges_revoked_entry"),
                nullable=True,
            )
        )
        batch.drop_constraint("uq_points_badges", type_="unique")
    # One held badge per member, badge and window; revoked ones stay beside it as history.
    op.create_index(
        "uq_points_badges_held",
        "points_badges",
        ["member_id", "code", "window"],
        unique=True,
        sqlite_where=HELD,
        postgresql_where=HELD,
    )


def downgrade() -> None:
    op.drop_index("uq_points_badges_held", table_name="points_badges")
    op.execute("DELETE FROM points_badges WHERE revoked_at IS NOT NULL")
    with op.batch_alter_table("points_badges") as batch:
        batch.create_unique_constraint("uq_points_badges", ["member_id", "code", "window"])
        batch.drop_column("revoked_entry_id")
        batch.drop_column("revoked_at")
