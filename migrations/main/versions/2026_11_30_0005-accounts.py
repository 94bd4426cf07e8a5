"""Accounts people can recover and protect: verified emails, mailed single-use tokens, TOTP with recovery codes,
API keys (their revocation is logged like a session's), and maindb's outbox for mail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUID = advanced_alchemy.types.guid.GUID(length=16)


def when() -> advanced_alchemy.types.datetime.DateTimeUTC:
    return advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


POSTGRES = [
    """
    CREATE FUNCTION record_api_key_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        entry revocations%ROWTYPE;
    BEGIN
        IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock(7384211903);  -- the constant of migration 0004: one order for the log
            INSERT INTO revocations (user_id, session_id, occurred_at)
            VALUES (NEW.user_id, NEW.id, clock_timestamp())
            RETURNING * INTO entry;
            PERFORM notify_revocation(entry);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER api_keys_revocation AFTER UPDATE OF revoked_at ON api_keys
    FOR EACH ROW EXECUTE FUNCTION record_api_key_revocation()
    """,
]

SQLITE = [
    """
    CREATE TRIGGER api_keys_revocation AFTER UPDATE OF revoked_at ON api_keys
    WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
    BEGIN
        INSERT INTO revocations (user_id, session_id, occurred_at)
        VALUES (NEW.user_id, NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
    END
    """,
]


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("email_verified_at", when(), nullable=True))
        users.add_column(sa.Column("totp_secret", sa.String(length=512), nullable=True))
        users.add_column(sa.Column("totp_enabled_at", when(), nullable=True))
        users.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "account_tokens",
        sa.Column("id", GUID, nullable=False),
        sa.Column("user_id", GUID, nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("expires_at", when(), nullable=False),
        sa.Column("used_at", when(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_tokens_token_hash")),
    )
    op.create_index(
        "ix_account_tokens_user_id_purpose_created_at", "account_tokens", ["user_id", "purpose", "created_at"]
    )
    op.create_table(
        "recovery_codes",
        sa.Column("user_id", GUID, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", when(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name=op.f("pk_recovery_codes")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", GUID, nullable=False),
        sa.Column("user_id", GUID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("expires_at", when(), nullable=True),
        sa.Column("last_used_at", when(), nullable=True),
        sa.Column("revoked_at", when(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_keys_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index("ix_api_keys_user_id", "api_keys", ["user_id"])
    op.create_table(
        "outbox_event",
        sa.Column("id", GUID, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("sent_at", when(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_event")),
    )
    op.create_index(
        "ix_outbox_event_unsent",
        "outbox_event",
        ["created_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    for statement in POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS api_keys_revocation ON api_keys")
        op.execute("DROP FUNCTION IF EXISTS record_api_key_revocation()")
    else:
        op.execute("DROP TRIGGER IF EXISTS api_keys_revocation")
    op.drop_index("ix_outbox_event_unsent", table_name="outbox_event")
    op.drop_table("outbox_event")
    op.drop_index("ix_api_keys_user_id", table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_table("recovery_codes")
    op.drop_index("ix_account_tokens_user_id_purpose_created_at", table_name="account_tokens")
    op.drop_table("account_tokens")
    with op.batch_alter_table("users") as users:
        users.drop_column("totp_last_step")
        users.drop_column("totp_enabled_at")
        users.drop_column("totp_secret")
        users.drop_column("email_verified_at")
