"""Rule sets, with version 1 (the default set) so a fresh platform prices events at once.

Revision ID: 0001_rule_sets
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001_rule_sets"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy, not an import: a migration must insert the same rows forever, whatever the
# application code later calls its defaults.
DEFAULT_DOCUMENT = {
    "event_types": {
        "attendance": {
            "category": "attendance",
            "by": "status",
            "points": {"on_time": 2, "late": 0, "absent": -3, "excused": 0},
        },
        "quiz": {
            "category": "quiz",
            "score_bands": [
                {"min_percent": 100, "points": 10},
                {"min_percent": 90, "points": 6},
                {"min_percent": 60, "points": 3},
            ],
            "otherwise": 1,
        },
        "practice_report": {
            "category": "practice",
            "by": "rating",
            "points": {"A": 8, "B": 5, "C": 2},
        },
    }
}
# Long before any event, so every event finds a set in force.
DEFAULT_EFFECTIVE_FROM = datetime(2000, 1, 1, tzinfo=UTC)


def upgrade() -> None:
    # Names are given whole (op.f): the models' naming convention must not prefix them again.
    op.create_table(
        "rewards_rule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("effective_from", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_by", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rewards_rule_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_rewards_rule_sets_version")),
        sa.CheckConstraint(
            "status IN ('draft', 'published')", name=op.f("ck_rewards_rule_sets_status")
        ),
        sa.CheckConstraint(
            "status <> 'published' OR (version IS NOT NULL AND published_at IS NOT NULL)",
            name=op.f("ck_rewards_rule_sets_published_has_version"),
        ),
    )
    op.create_index(
        op.f("ix_rewards_rule_sets_status_effective_from"),
        "rewards_rule_sets",
        ["status", "effective_from"],
    )
    rule_sets = sa.table(
        "rewards_rule_sets",
        sa.column("version", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("status", sa.String()),
        sa.column("document", sa.JSON()),
        sa.column("effective_from", sa.DateTime()),
        sa.column("created_at", sa.DateTime()),
        sa.column("published_at", sa.DateTime()),
        sa.column("notes", sa.Text()),
    )
    # Stored times are naive UTC on every database (services.common.db.UTCDateTime).
    when = DEFAULT_EFFECTIVE_FROM.replace(tzinfo=None)
    op.bulk_insert(
        rule_sets,
        [
            {
                "version": 1,
                "name": "default",
                "status": "published",
                "document": DEFAULT_DOCUMENT,
                "effective_from": when,
                "created_at": when,
                "published_at": when,
                "notes": "The built-in default set: edit by publishing a new version.",
            }
        ],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_rewards_rule_sets_status_effective_from"), table_name="rewards_rule_sets"
    )
    op.drop_table("rewards_rule_sets")
