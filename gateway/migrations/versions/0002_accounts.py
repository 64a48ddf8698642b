"""People: accounts, roles, bearer tokens, one-time reset codes, and the gateway's audit log.

Revision ID: 0002_accounts
Revises: 0001_api_keys
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001_api_keys"
branch_labels = None
depends_on = None


def _account_fk() -> sa.Column[int]:
    return sa.Column(
        "account_id", sa.Integer(), sa.ForeignKey("gateway_accounts.id"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "gateway_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_no", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_accounts"),
        sa.UniqueConstraint("staff_no", name="uq_gateway_accounts_staff_no"),
    )
    op.create_table(
        "gateway_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_fk(),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_roles"),
        sa.UniqueConstraint("account_id", "role", "unit", name="uq_gateway_roles_held"),
    )
    op.create_index("ix_gateway_roles_account_id", "gateway_roles", ["account_id"])
    op.create_table(
        "gateway_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_fk(),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("family", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_tokens"),
        sa.UniqueConstraint("prefix", name="uq_gateway_tokens_prefix"),
    )
    op.create_index("ix_gateway_tokens_account_id", "gateway_tokens", ["account_id"])
    op.create_index("ix_gateway_tokens_family", "gateway_tokens", ["family"])
    op.create_table(
        "gateway_reset_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        _account_fk(),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_reset_codes"),
        sa.UniqueConstraint("code_hash", name="uq_gateway_reset_codes_code_hash"),
    )
    op.create_index("ix_gateway_reset_codes_account_id", "gateway_reset_codes", ["account_id"])
    op.create_table(
        "gateway_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_audit"),
    )
    op.create_index("ix_gateway_audit_at", "gateway_audit", ["at"])


def downgrade() -> None:
    for index, table in (
        ("ix_gateway_audit_at", "gateway_audit"),
        ("ix_gateway_reset_codes_account_id", "gateway_reset_codes"),
        ("ix_gateway_tokens_family", "gateway_tokens"),
        ("ix_gateway_tokens_account_id", "gateway_tokens"),
        ("ix_gateway_roles_account_id", "gateway_roles"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("gateway_audit", "gateway_reset_codes", "gateway_tokens", "gateway_roles"):
        op.drop_table(table)
    op.drop_table("gateway_accounts")
