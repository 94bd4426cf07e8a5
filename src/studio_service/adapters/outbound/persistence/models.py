"""studiodb's tables (SQLAlchemy Core; the repositories map rows to the domain's dataclasses)."""

from __future__ import annotations

from datetime import UTC, datetime

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from qhitz_shared.outbox.store import outbox_table

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Json = JSON().with_variant(JSONB(), "postgresql")


def _now() -> datetime:
    return datetime.now(UTC)


projects = Table(
    "projects",
    metadata,
    Column("id", GUID, primary_key=True),
    Column("owner_id", GUID, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
    Column("updated_at", DateTimeUTC(timezone=True), nullable=False, default=_now, onupdate=_now),
)

assets = Table(
    "assets",
    metadata,
    Column("id", GUID, primary_key=True),
    Column("project_id", GUID, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("media_id", GUID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("metadata", Json, nullable=False),
    Column("derived_from_job", GUID, nullable=True),
    Column("derived_from_asset", GUID, nullable=True),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
)

# The balance, kept equal to the sum of the user's ledger amounts by the statements that append to the ledger.
credit_accounts = Table(
    "credit_accounts",
    metadata,
    Column("user_id", GUID, primary_key=True),
    Column("available", BigInteger, nullable=False),
    Column("updated_at", DateTimeUTC(timezone=True), nullable=False, default=_now, onupdate=_now),
    CheckConstraint("available >= 0", name="available_not_negative"),
)

# Append-only (on PostgreSQL a trigger refuses UPDATE and DELETE).
credit_ledger = Table(
    "credit_ledger",
    metadata,
    Column("id", GUID, primary_key=True),
    Column("user_id", GUID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("balance_after", BigInteger, nullable=False),
    Column("job_id", GUID, nullable=True),
    Column("reference", String(255), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
    # one grant per paying object (a Checkout session, an invoice)
    UniqueConstraint("reference", name="uq_credit_ledger_reference"),
)
Index("ix_credit_ledger_user_created", credit_ledger.c.user_id, credit_ledger.c.created_at)
# one hold per job, and one settlement (capture or release) of it
_HOLD = credit_ledger.c.kind == "hold"
_SETTLEMENT = credit_ledger.c.kind.in_(["capture", "release"])
Index("uq_credit_ledger_job_hold", credit_ledger.c.job_id, unique=True, postgresql_where=_HOLD, sqlite_where=_HOLD)
Index(
    "uq_credit_ledger_job_settlement",
    credit_ledger.c.job_id,
    unique=True,
    postgresql_where=_SETTLEMENT,
    sqlite_where=_SETTLEMENT,
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", GUID, primary_key=True),
    Column("owner_id", GUID, nullable=False),
    Column("project_id", GUID, ForeignKey("projects.id"), nullable=False, index=True),
    Column("type", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("progress", Integer, nullable=False, default=0),
    Column("parameters", Json, nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("error", Text, nullable=True),
    Column("outputs", Json, nullable=False),
    Column("cancel_requested", Boolean, nullable=False, default=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("deadline_at", DateTimeUTC(timezone=True), nullable=False),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
    Column("started_at", DateTimeUTC(timezone=True), nullable=True),
    Column("finished_at", DateTimeUTC(timezone=True), nullable=True),
    UniqueConstraint("owner_id", "idempotency_key", name="uq_jobs_owner_idempotency_key"),
    CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
)
Index("ix_jobs_owner_created", jobs.c.owner_id, jobs.c.created_at)
Index(
    "ix_jobs_unfinished_deadline",
    jobs.c.deadline_at,
    postgresql_where=jobs.c.status.in_(["queued", "running"]),
    sqlite_where=jobs.c.status.in_(["queued", "running"]),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("subscription_id", String(255), primary_key=True),
    Column("user_id", GUID, nullable=False, index=True),
    Column("plan", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("current_period_end", DateTimeUTC(timezone=True), nullable=True),
    Column("event_created", BigInteger, nullable=False),
    Column("updated_at", DateTimeUTC(timezone=True), nullable=False, default=_now, onupdate=_now),
)

stripe_events = Table(
    "stripe_events",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("type", String(100), nullable=False),
    Column("received_at", DateTimeUTC(timezone=True), nullable=False, default=_now),
)

outbox_event = outbox_table(metadata)

# The newest signed callback of a remote provider about a job (read by the worker waiting on it).
remote_results = Table(
    "remote_results",
    metadata,
    Column("job_id", GUID, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("progress", Integer, nullable=False),
    Column("output_url", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("updated_at", DateTimeUTC(timezone=True), nullable=False, default=_now, onupdate=_now),
)
