"""API keys, stored hashed. Times are naive UTC, as everywhere in the platform.

Revision ID: 0001_api_keys
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_api_keys"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_api_keys"),
        sa.UniqueConstraint("name", name="uq_gateway_api_keys_name"),
        sa.UniqueConstraint("prefix", name="uq_gateway_api_keys_prefix"),
    )


def downgrade() -> None:
    op.drop_table("gateway_api_keys")
