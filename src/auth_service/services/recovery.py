"""Email verification and password reset, as auth_service serves them (main_service keeps and mails the tokens)."""

from __future__ import annotations

from auth_service.domain.accounts import Account, ClientInfo
from auth_service.domain.errors import WeakPassword
from auth_service.domain.limits import RateRule
from auth_service.ports.recovery import AccountRecovery
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.login import normalize_login
from auth_service.services.security_log import security_log
from qhitz_shared.password_policy import PasswordPolicy


class RecoveryService:
    """A request for a mailed link (reset, verification resend) is counted against the client address and the typed
    address, then recorded at main_service (one INSERT whatever the address) before it is answered: the answer and
    its timing never depend on the account, and a request answered 202 is never lost (main's loop mails the link
    later; main out of reach answers 503 dependency_unavailable, alike for every address)."""

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

    async def resend_verification(self, email: str, client: ClientInfo) -> None:
        """Raises RateLimitedError, DependencyUnavailableError."""
        address = normalize_login(email)
        await self._limiter.hit(RateRule.VERIFY_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.VERIFY_RESEND_ADDRESS, address)
        await self._recovery.resend_verification(address)

    async def verify_email(self, token: str, client: ClientInfo) -> Account:
        await self._limiter.hit(RateRule.VERIFY_IP, client.ip_address or "unknown")
        account = await self._recovery.verify_email(token)
        security_log.info("email_verified", user_id=str(account.id), ip=client.ip_address)
        return account

    async def request_password_reset(self, email: str, client: ClientInfo) -> None:
        """Raises RateLimitedError, DependencyUnavailableError."""
        address = normalize_login(email)
        await self._limiter.hit(RateRule.RESET_IP, client.ip_address or "unknown")
        await self._limiter.hit(RateRule.RESET_ADDRESS, address)
        await self._recovery.request_password_reset(address)

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
