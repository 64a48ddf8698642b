"""Accounts: the language a person chose on the pages (null: from Accept-Language).

Revision ID: 0004_account_locale
Revises: 0003_key_limits
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_account_locale"
down_revision = "0003_key_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_accounts") as batch:
        batch.add_column(sa.Column("locale", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gateway_accounts") as batch:
        batch.drop_column("locale")
