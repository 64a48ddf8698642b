"""API keys: an expiry, limits to event types and units, and when the secret was rotated.

Revision ID: 0003_key_limits
Revises: 0002_accounts
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_key_limits"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite alters a table by copying it. Existing keys get no limits ("").
    with op.batch_alter_table("gateway_api_keys") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("event_types", sa.String(660), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("units", sa.String(1300), nullable=False, server_default=""))
        batch.add_column(sa.Column("rotated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gateway_api_keys") as batch:
        for column in ("rotated_at", "units", "event_types", "expires_at"):
            batch.drop_column(column)
