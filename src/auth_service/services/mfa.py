"""TOTP two-factor authentication (RFC 6238; pyotp does the arithmetic): setup, confirm with recovery codes, the
second login step, and turning it off. Each accepted code's time step is recorded at main_service with a
conditional UPDATE, so a code works once, even under concurrent logins; the login's challenge is spent with it,
so a challenge completes one login."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp

from auth_service.domain.accounts import Account, ClientInfo
from auth_service.domain.errors import (
    AccountInactive,
    InvalidMfaChallenge,
    InvalidMfaCode,
    MfaStateConflict,
    UserNotFound,
    WrongCurrentPassword,
)
from auth_service.domain.limits import RateRule
from auth_service.domain.mfa import (
    DRIFT_STEPS,
    LoginChallenge,
    clean_code,
    new_recovery_codes,
    recovery_code_digest,
)
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.mfa import MfaStore, SecretBox
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.challenges import MfaChallenges
from auth_service.services.login import LoginResult
from auth_service.services.security_log import security_log
from auth_service.services.tokens import TokenIssuer
from qhitz_shared.principal import Principal


@dataclass(frozen=True, slots=True)
class TotpSetup:
    secret: str  # base32, 32 characters (160 bits)
    otpauth_uri: str


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step whose code ``code`` is (the current one, or one step of drift either way), or None."""
    digits = clean_code(code)
    if digits is None:
        return None
    totp = pyotp.TOTP(secret)
    base = totp.timecode(now or datetime.now(UTC))
    for step in range(base - DRIFT_STEPS, base + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


class MfaService:
    def __init__(
        self,
        directory: UserDirectory,
        sessions: SessionStore,
        store: MfaStore,
        box: SecretBox,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        issuer: TokenIssuer,
        challenges: MfaChallenges,
    ) -> None:
        self._directory = directory
        self._sessions = sessions
        self._store = store
        self._box = box
        self._hasher = hasher
        self._limiter = limiter
        self._issuer = issuer
        self._challenges = challenges

    async def setup(self, principal: Principal, issuer_name: str) -> TotpSetup:
        """A new secret, pending until confirmed (a new setup replaces a pending one); 409 when TOTP is on."""
        account = await self._account(principal.user_id)
        if account.totp_enabled:
            raise MfaStateConflict("Two-factor authentication is on already: turn it off first")
        secret = pyotp.random_base32()
        await self._store.set_pending(account.id, self._box.encrypt(secret))
        uri = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=issuer_name)
        return TotpSetup(secret=secret, otpauth_uri=uri)

    async def confirm(self, principal: Principal, code: str) -> list[str]:
        """Turns TOTP on with a code from the app; returns the ten recovery codes (shown once, stored hashed)."""
        await self._limiter.hit(RateRule.MFA_ACCOUNT, principal.subject)
        account = await self._account(principal.user_id)
        if account.totp_enabled or account.totp_secret is None:
            raise MfaStateConflict("No two-factor setup is waiting for confirmation")
        step = matching_step(self._box.decrypt(account.totp_secret), code)
        if step is None:
            raise InvalidMfaCode("The code does not match: check the device's clock and try the next one")
        codes = new_recovery_codes()
        await self._store.enable(account.id, step, [recovery_code_digest(c) for c in codes])
        security_log.info("mfa_enabled", user_id=principal.subject)
        return codes

    async def verify(
        self, challenge: str, code: str | None, recovery_code: str | None, client: ClientInfo
    ) -> LoginResult:
        """Completes a login: a TOTP code (once per time step) or an unused recovery code; opens the session."""
        login = await self._challenges.read(challenge)
        user_id = login.user_id
        await self._limiter.hit(RateRule.MFA_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.MFA_ACCOUNT, str(user_id))
        account = await self._directory.get(user_id)
        if account is None or not account.is_active or account.token_version != login.token_version:
            raise AccountInactive("The account changed since the password was checked: log in again")
        if not account.totp_enabled or account.totp_secret is None:
            raise InvalidMfaChallenge("Two-factor authentication is off for this account: log in again")
        if not await self._second_factor(account, code, recovery_code, login):
            security_log.warning("mfa_failed", user_id=str(user_id), ip=client.ip_address)
            raise InvalidMfaCode("The code is wrong or was used already")
        session = await self._sessions.start(account.id, client, ttl_seconds=self._issuer.settings.refresh_ttl_seconds)
        security_log.info("login_succeeded", user_id=str(user_id), session_id=str(session.id), mfa=True)
        return LoginResult(tokens=self._issuer.pair(account, session), session_id=None)  # login recorded by start

    async def disable(self, principal: Principal, code: str | None, password: str | None) -> None:
        """With a current code (used once, like at login) or the account's password."""
        await self._limiter.hit(RateRule.MFA_ACCOUNT, principal.subject)
        account = await self._account(principal.user_id)
        if account.totp_secret is None:
            raise MfaStateConflict("Two-factor authentication is not set up")
        if password is not None:
            if account.password_hash is None or not await self._hasher.verify(account.password_hash, password):
                raise WrongCurrentPassword("The password is wrong")
        elif code is None or not account.totp_enabled or not await self._accept_code(account, code):
            raise InvalidMfaCode("Give a current code or the account's password")
        await self._store.disable(account.id)
        security_log.info("mfa_disabled", user_id=principal.subject)

    async def _second_factor(
        self, account: Account, code: str | None, recovery_code: str | None, login: LoginChallenge
    ) -> bool:
        """The factor and the login's challenge are spent together at main_service: a challenge completes one
        login (InvalidMfaChallenge after that), a wrong code spends nothing."""
        if code is not None:
            return await self._accept_code(account, code, login)
        if recovery_code is not None:
            return await self._store.use_recovery_code(account.id, recovery_code_digest(recovery_code), login)
        return False

    async def _accept_code(self, account: Account, code: str, login: LoginChallenge | None = None) -> bool:
        assert account.totp_secret is not None
        step = matching_step(self._box.decrypt(account.totp_secret), code)
        return step is not None and await self._store.accept_step(account.id, step, login)

    async def _account(self, user_id: uuid.UUID) -> Account:
        account = await self._directory.get(user_id)
        if account is None:
            raise UserNotFound("The account no longer exists")
        return account
