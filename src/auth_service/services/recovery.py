"""Email verification and password reset, as auth_service serves them (main_service keeps and mails the tokens)."""

from __future__ import annotations

import structlog

from auth_service.domain.accounts import Account, ClientInfo
from auth_service.domain.errors import WeakPassword
from auth_service.domain.limits import RateRule
from auth_service.ports.recovery import AccountRecovery
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.login import normalize_login
from auth_service.services.security_log import security_log
from qhitz_shared.errors import AppError
from qhitz_shared.password_policy import PasswordPolicy

log = structlog.get_logger(__name__)


class RecoveryService:
    """A reset request is answered before anything about the address is looked up: the caller counts it against
    the client address and the typed address (the same work for every address), answers 202, and only then
    ``send_password_reset`` asks main_service, so the answer and its timing never depend on the account."""

    def __init__(
        self,
        recovery: AccountRecovery,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        policy: PasswordPolicy,
    ) -> None:
        self._recovery = recovery
        self._hasher = hasher
        self._limiter = limiter
        self._policy = policy

    async def accept_resend(self, email: str, client: ClientInfo) -> str:
        """Counts a resend request (raises RateLimitedError); returns the address to hand to send_verification."""
        address = normalize_login(email)
        await self._limiter.hit(RateRule.VERIFY_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.VERIFY_RESEND_ADDRESS, address)
        return address

    async def send_verification(self, address: str) -> None:
        """After the answer has gone out, like send_password_reset."""
        try:
            await self._recovery.resend_verification(address)
        except AppError as exc:
            log.error("verification_resend_failed", error=exc.detail)

    async def verify_email(self, token: str, client: ClientInfo) -> Account:
        await self._limiter.hit(RateRule.VERIFY_IP, client.ip_address or "unknown")
        account = await self._recovery.verify_email(token)
        security_log.info("email_verified", user_id=str(account.id), ip=client.ip_address)
        return account

    async def accept_password_reset(self, email: str, client: ClientInfo) -> str:
        """Counts the request (raises RateLimitedError); returns the address to hand to send_password_reset."""
        address = normalize_login(email)
        await self._limiter.hit(RateRule.RESET_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.RESET_ADDRESS, address)
        return address

    async def send_password_reset(self, address: str) -> None:
        """After the answer has gone out: a failure is logged (the requester may ask again), never raised."""
        try:
            await self._recovery.request_password_reset(address)
        except AppError as exc:
            log.error("password_reset_request_failed", error=exc.detail)

    async def confirm_password_reset(self, token: str, new_password: str, client: ClientInfo) -> None:
        """The new password passes the change-password policy; the token is spent only then, with the new hash,
        token_version bumped and every session ended, in one transaction at main_service."""
        await self._limiter.hit(RateRule.RESET_CONFIRM_IP, client.ip_address or "unknown")
        account = await self._recovery.reset_target(token)
        await self._limiter.hit(RateRule.RESET_CONFIRM_ACCOUNT, str(account.id))
        if account.password_hash is not None and await self._hasher.verify(account.password_hash, new_password):
            raise WeakPassword("The new password must differ from the current one", reason="unchanged")
        await self._policy.check(new_password, email=account.email, username=account.username)
        account = await self._recovery.complete_password_reset(token, await self._hasher.hash(new_password))
        security_log.info("password_reset", user_id=str(account.id), ip=client.ip_address)
