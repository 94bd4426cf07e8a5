"""Registration and login: the only places a password becomes a session."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from dataclasses import dataclass

import structlog

from auth_service.domain.accounts import Account, ClientInfo, LoginSession, Registration, TokenPair
from auth_service.domain.errors import AccountDisabled, EmailNotVerified, InvalidCredentials
from auth_service.domain.limits import RateRule
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.challenges import Challenge, MfaChallenges
from auth_service.services.security_log import security_log
from auth_service.services.tokens import TokenIssuer
from qhitz_shared.errors import AppError
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.text import nfc, nfc_or_none

MAX_LOGIN = 254
log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """Tokens of a new session, or for an account with two-factor authentication only a challenge."""

    tokens: TokenPair | None
    session_id: uuid.UUID | None  # a login to record once the answer has gone out
    challenge: Challenge | None = None


def normalize_login(login: str) -> str:
    """The spelling main_service stores: NFC, trimmed, lower-cased (then NFC again: lower-casing can decompose)."""
    return nfc(nfc(login).strip().lower())[:MAX_LOGIN]


class LoginService:
    """Login costs one argon2 verification whether or not the account exists. Every attempt is counted before the
    password is checked (so concurrent guesses cannot overrun the budget): per IP, then per account and IP, then
    per account (a much higher ceiling, reached only by guesses from many addresses; attempts refused by the
    tighter budgets never reach it, so a guesser elsewhere cannot lock the owner out). The account budgets count
    by the typed login and by the account id (so its email and username share one); failures are logged."""

    def __init__(
        self,
        directory: UserDirectory,
        sessions: SessionStore,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        issuer: TokenIssuer,
        policy: PasswordPolicy,
        challenges: MfaChallenges,
    ) -> None:
        self._directory = directory
        self._sessions = sessions
        self._hasher = hasher
        self._limiter = limiter
        self._issuer = issuer
        self._policy = policy
        self._challenges = challenges

    async def login(self, login: str, password: str, client: ClientInfo) -> LoginResult:
        """Tokens of a new session. The session is opened at main_service while argon2 runs (and deleted if the
        password turns out wrong), so a login costs one verification plus little more; the last-login time is
        recorded afterwards by ``record_login``, so that a failed attempt never counts as a login."""
        key = normalize_login(login)
        address = client.ip_address or "unknown"
        await asyncio.gather(
            self._limiter.hit(RateRule.LOGIN_IP, address),
            self._limiter.hit(RateRule.LOGIN_ACCOUNT_IP, f"{key} {address}"),
        )
        account = await self._directory.find(key) if key else None
        accounts = [key] if account is None else [key, f"id:{account.id}"]
        if account is not None:
            await self._limiter.hit(RateRule.LOGIN_ACCOUNT_IP, f"id:{account.id} {address}")
        await asyncio.gather(*(self._limiter.hit(RateRule.LOGIN_ACCOUNT, name) for name in accounts))
        if account is None or account.password_hash is None:
            await self._hasher.verify_dummy(password)
            raise await self._failure(key, client, "unknown_account", None)
        if not account.is_active:
            if not await self._hasher.verify(account.password_hash, password):
                raise await self._failure(key, client, "wrong_password", account)
            security_log.warning(
                "login_refused", reason=str(account.status), user_id=str(account.id), ip=client.ip_address
            )
            raise AccountDisabled(f"The account is {account.status}")

        verified, opened = await asyncio.gather(
            self._hasher.verify(account.password_hash, password),
            self._sessions.start(
                account.id, client, ttl_seconds=self._issuer.settings.refresh_ttl_seconds, record_login=False
            ),
            return_exceptions=True,
        )
        if verified is not True:
            if isinstance(opened, LoginSession):
                await self._discard(opened)
            if isinstance(verified, BaseException):
                raise verified
            raise await self._failure(key, client, "wrong_password", account)
        if isinstance(opened, BaseException):
            raise opened
        if account.must_verify_email:  # the password was right: saying so tells nothing a guesser may not know
            await self._discard(opened)
            security_log.warning("login_refused", reason="email_not_verified", user_id=str(account.id))
            raise EmailNotVerified("Verify the email address first (POST /api/v1/auth/resend-verification)")
        if self._hasher.needs_rehash(account.password_hash):
            account = await self._directory.set_password_hash(
                account.id, await self._hasher.hash(password), revoke_tokens=False
            )
            security_log.info("password_rehashed", user_id=str(account.id))
        if account.totp_enabled:  # the second step (MfaService.verify) opens the session
            await self._discard(opened)
            security_log.info("login_needs_mfa", user_id=str(account.id), ip=client.ip_address)
            return LoginResult(tokens=None, session_id=None, challenge=self._challenges.issue(account))
        security_log.info("login_succeeded", user_id=str(account.id), session_id=str(opened.id), ip=client.ip_address)
        return LoginResult(tokens=self._issuer.pair(account, opened), session_id=opened.id)

    async def record_login(self, session_id: uuid.UUID) -> None:
        """Best effort, after the answer has gone out: a failure here must not undo a login."""
        try:
            await self._sessions.confirm_login(session_id)
        except AppError as exc:
            log.warning("record_login_failed", session_id=str(session_id), error=exc.detail)

    async def _discard(self, session: LoginSession) -> None:
        try:
            await self._sessions.discard(session.id)
        except AppError as exc:  # the session is unusable anyway: no refresh token for it was ever handed out
            log.warning("speculative_session_not_discarded", session_id=str(session.id), error=exc.detail)

    async def _failure(self, key: str, client: ClientInfo, reason: str, account: Account | None) -> InvalidCredentials:
        security_log.warning(
            "login_failed",
            reason=reason,
            login=key,
            user_id=str(account.id) if account else None,
            ip=client.ip_address,
            user_agent=client.user_agent,
        )
        return InvalidCredentials("The login or the password is wrong")

    async def register(self, data: Registration, client: ClientInfo) -> TokenPair:
        """main_service validates and normalises the account fields too; NFC here makes the rate-limit key and
        the password policy's comparison with the email and username see what main_service will store."""
        data = dataclasses.replace(
            data,
            email=nfc(data.email),
            username=nfc(data.username),
            first_name=nfc_or_none(data.first_name),
            last_name=nfc_or_none(data.last_name),
        )
        await self._limiter.hit(RateRule.REGISTER_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.REGISTER_ACCOUNT, normalize_login(data.email))
        await self._policy.check(data.password, email=data.email, username=data.username)
        account = await self._directory.create(
            email=data.email,
            username=data.username,
            password_hash=await self._hasher.hash(data.password),
            first_name=data.first_name,
            last_name=data.last_name,
        )
        security_log.info("registered", user_id=str(account.id), ip=client.ip_address)
        if account.must_verify_email:  # no tokens before the mailed link is followed
            raise EmailNotVerified("The account is created: follow the link mailed to its address, then log in")
        session = await self._sessions.start(account.id, client, ttl_seconds=self._issuer.settings.refresh_ttl_seconds)
        return self._issuer.pair(account, session)
