"""Drafts: who created a rule set and when it last changed.

Revision ID: 0002_draft_authors
Revises: 0001_rule_sets
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_draft_authors"
down_revision: str | None = "0001_rule_sets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rewards_rule_sets") as batch:
        batch.add_column(sa.Column("created_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rewards_rule_sets") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("created_by")
