"""Revocation log: every token_version bump, status change and ended session, written by triggers.

Triggers rather than application code, so that no path (ORM save, bulk UPDATE, CLI, a hand-run SQL fix) can
change what a token is worth without leaving its event. On PostgreSQL the trigger first takes a transaction-scoped
advisory lock, so log ids are handed out in commit order and a cursor never skips a row committed late, and
NOTIFYs the event, which PostgreSQL delivers at commit to every main_service replica listening.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 03:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES = [
    # delivered at commit to every main_service replica listening (the event itself, so it applies on arrival)
    """
    CREATE FUNCTION notify_revocation(entry revocations) RETURNS void LANGUAGE sql AS $$
        SELECT pg_notify('qhitz_revocations', json_build_object(
            'seq', entry.id, 'user_id', entry.user_id, 'at', extract(epoch FROM entry.occurred_at),
            'token_version', entry.token_version, 'active', entry.active, 'session_id', entry.session_id
        )::text)
    $$
    """,
    """
    CREATE FUNCTION record_user_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        entry revocations%ROWTYPE;
    BEGIN
        IF NEW.token_version IS DISTINCT FROM OLD.token_version OR NEW.status IS DISTINCT FROM OLD.status THEN
            PERFORM pg_advisory_xact_lock(7384211903);  -- any constant: orders the log's writers
            INSERT INTO revocations (user_id, token_version, active, occurred_at)
            VALUES (NEW.id, NEW.token_version, NEW.status = 'active', clock_timestamp())
            RETURNING * INTO entry;
            PERFORM notify_revocation(entry);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER users_revocation AFTER UPDATE OF token_version, status ON users
    FOR EACH ROW EXECUTE FUNCTION record_user_revocation()
    """,
    """
    CREATE FUNCTION record_session_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        entry revocations%ROWTYPE;
    BEGIN
        IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock(7384211903);  -- any constant: orders the log's writers
            INSERT INTO revocations (user_id, session_id, occurred_at)
            VALUES (NEW.user_id, NEW.id, clock_timestamp())
            RETURNING * INTO entry;
            PERFORM notify_revocation(entry);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER sessions_revocation AFTER UPDATE OF revoked_at ON sessions
    FOR EACH ROW EXECUTE FUNCTION record_session_revocation()
    """,
]

# SQLite has one writer at a time, so ids follow commit order without a lock.
SQLITE = [
    """
    CREATE TRIGGER users_revocation AFTER UPDATE OF token_version, status ON users
    WHEN NEW.token_version IS NOT OLD.token_version OR NEW.status IS NOT OLD.status
    BEGIN
        INSERT INTO revocations (user_id, token_version, active, occurred_at)
        VALUES (NEW.id, NEW.token_version, NEW.status = 'active', strftime('%Y-%m-%d %H:%M:%f', 'now'));
    END
    """,
    """
    CREATE TRIGGER sessions_revocation AFTER UPDATE OF revoked_at ON sessions
    WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
    BEGIN
        INSERT INTO revocations (user_id, session_id, occurred_at)
        VALUES (NEW.user_id, NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
    END
    """,
]


def upgrade() -> None:
    op.create_table(
        "revocations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("session_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("token_version", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=True),
        sa.Column("occurred_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocations")),
    )
    op.create_index("ix_revocations_occurred_at", "revocations", ["occurred_at"], unique=False)
    statements = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS sessions_revocation ON sessions")
        op.execute("DROP TRIGGER IF EXISTS users_revocation ON users")
        op.execute("DROP FUNCTION IF EXISTS record_session_revocation()")
        op.execute("DROP FUNCTION IF EXISTS record_user_revocation()")
        op.execute("DROP FUNCTION IF EXISTS notify_revocation(revocations)")
    else:
        op.execute("DROP TRIGGER IF EXISTS sessions_revocation")
        op.execute("DROP TRIGGER IF EXISTS users_revocation")
    op.drop_index("ix_revocations_occurred_at", table_name="revocations")
    op.drop_table("revocations")
