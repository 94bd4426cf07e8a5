"""In-memory fakes of auth_service's ports, for use-case tests."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from auth_service.domain.accounts import Account, AccountStatus, ClientInfo, LoginSession, RevokeReason
from auth_service.domain.errors import (
    AccountInactive,
    EmailTaken,
    RefreshTokenReused,
    SessionNotFound,
    SessionRevoked,
    UsernameTaken,
)
from auth_service.domain.limits import RateRule
from auth_service.services.challenges import MfaChallenges
from auth_service.services.tokens import KeyRing, TokenIssuer, TokenSettings
from qhitz_shared.errors import RateLimitedError
from qhitz_shared.pagination import PageRequest
from qhitz_shared.tokens import SigningKey


class FakeDirectory:
    def __init__(self) -> None:
        self.accounts: dict[uuid.UUID, Account] = {}
        self.password_updates: list[tuple[uuid.UUID, bool]] = []

    def add(self, email: str, username: str, password_hash: str, **fields: object) -> Account:
        account = Account(
            id=uuid.uuid4(),
            email=email,
            username=username,
            password_hash=password_hash,
            status=AccountStatus.ACTIVE,
            token_version=0,
            roles=["user"],
            permissions=["media:read"],
        )
        account = dataclasses.replace(account, **fields)
        self.accounts[account.id] = account
        return account

    async def find(self, login: str) -> Account | None:
        field = "email" if "@" in login else "username"
        return next((a for a in self.accounts.values() if getattr(a, field) == login), None)

    async def get(self, user_id: uuid.UUID) -> Account | None:
        return self.accounts.get(user_id)

    async def create(self, *, email, username, password_hash, first_name, last_name) -> Account:
        if any(a.email == email.lower() for a in self.accounts.values()):
            raise EmailTaken()
        if any(a.username == username.lower() for a in self.accounts.values()):
            raise UsernameTaken()
        return self.add(email.lower(), username.lower(), password_hash)

    async def set_password_hash(self, user_id, password_hash, *, revoke_tokens: bool) -> Account:
        account = self.accounts[user_id]
        version = account.token_version + (1 if revoke_tokens else 0)
        self.accounts[user_id] = dataclasses.replace(account, password_hash=password_hash, token_version=version)
        self.password_updates.append((user_id, revoke_tokens))
        return self.accounts[user_id]

    async def revoke_tokens(self, user_id) -> Account:
        account = self.accounts[user_id]
        self.accounts[user_id] = dataclasses.replace(account, token_version=account.token_version + 1)
        return self.accounts[user_id]


class FakeSessions:
    """The store's contract in memory: generations, grace-free reuse detection, revocation."""

    def __init__(self, directory: FakeDirectory) -> None:
        self.directory = directory
        self.rows: dict[uuid.UUID, LoginSession] = {}
        self.revoked: dict[uuid.UUID, str] = {}
        self.logins: list[uuid.UUID] = []
        self.discarded: list[uuid.UUID] = []

    async def start(self, user_id, client: ClientInfo, *, ttl_seconds: int, record_login: bool = True) -> LoginSession:
        if not self.directory.accounts[user_id].is_active:
            raise AccountInactive()
        session = LoginSession(
            id=uuid.uuid4(),
            user_id=user_id,
            family_id=uuid.uuid4(),
            generation=0,
            expires_at=datetime.now(UTC) + timedelta(seconds=ttl_seconds),
            user_agent=client.user_agent,
            ip_address=client.ip_address,
        )
        self.rows[session.id] = session
        if record_login:
            self.logins.append(session.id)
        return session

    async def confirm_login(self, session_id) -> None:
        self.logins.append(session_id)

    async def discard(self, session_id) -> None:
        del self.rows[session_id]
        self.discarded.append(session_id)

    async def rotate(self, session_id, *, family_id, generation, token_version, ttl_seconds, grace_seconds):
        session = self.rows.get(session_id)
        if session is None or session.family_id != family_id or session_id in self.revoked:
            raise SessionRevoked()
        account = self.directory.accounts[session.user_id]
        if not account.is_active or account.token_version != token_version:
            self.revoked[session_id] = "account_changed"
            raise AccountInactive()
        if generation != session.generation:
            self.revoked[session_id] = "reuse_detected"
            raise RefreshTokenReused()
        self.rows[session_id] = dataclasses.replace(session, generation=generation + 1)
        return self.rows[session_id], account

    async def get(self, session_id) -> LoginSession | None:
        session = self.rows.get(session_id)
        return dataclasses.replace(session, active=session_id not in self.revoked) if session else None

    async def revoke(self, session_id, *, user_id, reason: RevokeReason) -> None:
        session = self.rows.get(session_id)
        if session is None or session.user_id != user_id:
            raise SessionNotFound()
        self.revoked.setdefault(session_id, str(reason))

    async def revoke_all(self, user_id, *, reason: RevokeReason, except_session_id=None) -> int:
        ended = [
            s.id
            for s in self.rows.values()
            if s.user_id == user_id and s.id != except_session_id and s.id not in self.revoked
        ]
        for session_id in ended:
            self.revoked[session_id] = str(reason)
        return len(ended)

    async def list(self, user_id, page: PageRequest):
        active = [s for s in self.rows.values() if s.user_id == user_id and s.id not in self.revoked]
        return active[page.offset : page.offset + page.limit], len(active)


class FakeHasher:
    """'argon2:<password>' hashes; 'old:<password>' stands for a hash with outdated parameters."""

    def __init__(self) -> None:
        self.verifications = 0
        self.dummy_verifications = 0

    async def hash(self, password: str) -> str:
        return f"argon2:{password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return password_hash.split(":", 1)[1] == password

    async def verify_dummy(self, password: str) -> None:
        self.dummy_verifications += 1

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.startswith("old:")


class FakeLimiter:
    def __init__(self) -> None:
        self.hits: list[tuple[RateRule, str]] = []
        self.checks: list[tuple[RateRule, str]] = []
        self.blocked: set[RateRule] = set()

    async def hit(self, rule: RateRule, key: str) -> None:
        self.hits.append((rule, key))
        if rule in self.blocked:
            raise RateLimitedError(retry_after=7)

    async def check(self, rule: RateRule, key: str) -> None:
        self.checks.append((rule, key))
        if rule in self.blocked:
            raise RateLimitedError(retry_after=7)


def make_issuer(keys: list[SigningKey] | None = None, **settings: object) -> TokenIssuer:
    ring = KeyRing(keys or [SigningKey.generate()])
    return TokenIssuer(
        ring.signer("qhitz-auth"),
        ring.verifier("qhitz-auth", leeway_seconds=0),
        TokenSettings(**settings),
        audience="qhitz-api",
        internal_audience="main-internal",
    )


def make_challenges(ttl_seconds: int = 300) -> MfaChallenges:
    ring = KeyRing([SigningKey.generate()])
    return MfaChallenges(ring.signer("qhitz-auth"), ring.verifier("qhitz-auth", leeway_seconds=0), ttl_seconds)
