"""SQLAlchemy models of maindb. ORM objects never leave this package."""

from __future__ import annotations

import uuid
from datetime import datetime

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qhitz_shared.outbox.store import outbox_table

BIND_KEY = "main"


class MainBase(UUIDv7AuditBase):
    __abstract__ = True
    __bind_key__ = BIND_KEY


metadata = MainBase.metadata


class PermissionModel(MainBase):
    """The catalogue: code is the natural key; the UUID id exists for uniformity only."""

    __tablename__ = "permissions"
    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(String(255), default="", nullable=False)


role_permissions = Table(
    "role_permissions",
    metadata,
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("permissions.id", ondelete="CASCADE"), primary_key=True, index=True),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class RoleModel(MainBase):
    __tablename__ = "roles"
    name: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_system: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    permissions: Mapped[list[PermissionModel]] = relationship(secondary=role_permissions, lazy="selectin")


class UserModel(MainBase):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_created_at", "created_at"),)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    username: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    first_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="active", nullable=False, index=True)
    token_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # written only by their own statements (mfa.py, account_tokens.py), never by a save of the whole user
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(String(512), nullable=True)  # encrypted by auth_service
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    roles: Mapped[list[RoleModel]] = relationship(secondary=user_roles, lazy="selectin")


class SessionModel(MainBase):
    """A login session (one refresh-token family); rotated by compare-and-set on generation."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_id_created_at", "user_id", "created_at"),)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    family_id: Mapped[uuid.UUID] = mapped_column(unique=True, nullable=False)
    generation: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    user_agent: Mapped[str | None] = mapped_column(String(512), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    rotated_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)


# Written only by the triggers of migration 0003 (every token_version or status change of a user, every session
# that ends); read by the revocation feed. A plain Table: no ORM object is ever made of it.
revocations = Table(
    "revocations",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("user_id", GUID(length=16), nullable=False),
    Column("session_id", GUID(length=16), nullable=True),
    Column("token_version", Integer, nullable=True),
    Column("active", Boolean, nullable=True),
    Column("occurred_at", DateTimeUTC(timezone=True), nullable=False, index=True),
)


# Single-use tokens mailed to users (email verification, password reset): only their SHA-256 is stored.
account_tokens = Table(
    "account_tokens",
    metadata,
    Column("id", GUID(length=16), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("email", String(254), nullable=False),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
    Column("used_at", DateTimeUTC(timezone=True), nullable=True),
    Index("ix_account_tokens_user_id_purpose_created_at", "user_id", "purpose", "created_at"),
)

# TOTP recovery codes: SHA-256 of each, single use.
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("code_hash", String(64), primary_key=True),
    Column("used_at", DateTimeUTC(timezone=True), nullable=True),
)

# Requests for a mailed link (reset, verification), recorded for every address alike and handled off the request
# path by a loop (services.accounts.AccountService.handle_mail_requests).
mail_requests = Table(
    "mail_requests",
    metadata,
    Column("id", GUID(length=16), primary_key=True),
    Column("purpose", String(32), nullable=False),
    Column("email", String(254), nullable=False),
    Column("requested_at", DateTimeUTC(timezone=True), nullable=False, index=True),
)

# Two-factor login challenges already used (their jti), kept until they expire: a challenge completes one login.
mfa_challenges = Table(
    "mfa_challenges",
    metadata,
    Column("jti", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=False, index=True),
)

# Personal access tokens: the key's SHA-256 only; revoking one logs a revocation (trigger, as for sessions).
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", GUID(length=16), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=True),
    Column("last_used_at", DateTimeUTC(timezone=True), nullable=True),
    Column("revoked_at", DateTimeUTC(timezone=True), nullable=True),
)

# Mail (and any other event) leaves maindb through this outbox (qhitz_shared.outbox).
outbox_event = outbox_table(metadata)


__all__ = [
    "BIND_KEY",
    "PermissionModel",
    "RoleModel",
    "SessionModel",
    "UserModel",
    "account_tokens",
    "api_keys",
    "mail_requests",
    "metadata",
    "mfa_challenges",
    "outbox_event",
    "recovery_codes",
    "revocations",
    "role_permissions",
    "user_roles",
]
