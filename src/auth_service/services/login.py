"""Registration and login: the only places a password becomes a session."""

from __future__ import annotations

from auth_service.domain.accounts import Account, ClientInfo, Registration, TokenPair
from auth_service.domain.errors import AccountDisabled, InvalidCredentials
from auth_service.domain.limits import RateRule
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.password_policy import PasswordPolicy
from auth_service.services.security_log import security_log
from auth_service.services.tokens import TokenIssuer

MAX_LOGIN = 254


def normalize_login(login: str) -> str:
    return login.strip().lower()[:MAX_LOGIN]


class LoginService:
    """Login costs one argon2 verification whether or not the account exists; failures are logged and counted
    per IP and per account (successful logins do not spend the account's budget)."""

    def __init__(
        self,
        directory: UserDirectory,
        sessions: SessionStore,
        hasher: PasswordHasher,
        limiter: RateLimiter,
        issuer: TokenIssuer,
        policy: PasswordPolicy,
    ) -> None:
        self._directory = directory
        self._sessions = sessions
        self._hasher = hasher
        self._limiter = limiter
        self._issuer = issuer
        self._policy = policy

    async def login(self, login: str, password: str, client: ClientInfo) -> TokenPair:
        key = normalize_login(login)
        await self._limiter.hit(RateRule.LOGIN_IP, client.ip_address or "unknown")
        await self._limiter.check(RateRule.LOGIN_ACCOUNT, key)
        account = await self._directory.find(key) if key else None
        if account is None or account.password_hash is None:
            await self._hasher.verify_dummy(password)
            raise await self._failure(key, client, "unknown_account", None)
        if not await self._hasher.verify(account.password_hash, password):
            raise await self._failure(key, client, "wrong_password", account)
        if not account.is_active:
            security_log.warning(
                "login_refused", reason=str(account.status), user_id=str(account.id), ip=client.ip_address
            )
            raise AccountDisabled(f"The account is {account.status}")
        if self._hasher.needs_rehash(account.password_hash):
            account = await self._directory.set_password_hash(
                account.id, await self._hasher.hash(password), revoke_tokens=False
            )
            security_log.info("password_rehashed", user_id=str(account.id))
        session = await self._sessions.start(account.id, client, ttl_seconds=self._issuer.settings.refresh_ttl_seconds)
        security_log.info("login_succeeded", user_id=str(account.id), session_id=str(session.id), ip=client.ip_address)
        return self._issuer.pair(account, session)

    async def _failure(self, key: str, client: ClientInfo, reason: str, account: Account | None) -> InvalidCredentials:
        security_log.warning(
            "login_failed",
            reason=reason,
            login=key,
            user_id=str(account.id) if account else None,
            ip=client.ip_address,
            user_agent=client.user_agent,
        )
        await self._limiter.hit(RateRule.LOGIN_ACCOUNT, key)
        return InvalidCredentials("The login or the password is wrong")

    async def register(self, data: Registration, client: ClientInfo) -> TokenPair:
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
        session = await self._sessions.start(account.id, client, ttl_seconds=self._issuer.settings.refresh_ttl_seconds)
        security_log.info("registered", user_id=str(account.id), ip=client.ip_address)
        return self._issuer.pair(account, session)
