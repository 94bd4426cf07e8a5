"""Email verification and password reset: single-use tokens, mailed through the outbox, consumed atomically."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import structlog

from main_service.domain.accounts import RESENDS_PER_HOUR, RESETS_PER_WINDOW, TokenPurpose, new_token, token_digest
from main_service.domain.errors import ResetTokenInvalid, UserNotFound, VerificationTokenInvalid
from main_service.domain.sessions import RevokeReason
from main_service.domain.users import User, looks_like_email, normalize_email
from main_service.ports.accounts import AccountMail, AccountTokenRepository, MailRequestQueue
from main_service.ports.directory import UserRepository
from main_service.ports.sessions import SessionRepository
from qhitz_shared.errors import InvalidInputError
from qhitz_shared.ports import UnitOfWork

log = structlog.get_logger("main_service.security")


class AccountService:
    """Tokens are random (256 bits), stored as SHA-256, 24 h for a verification and 30 min for a reset; a mail is
    queued in the same transaction as its token, so a rolled-back request sends nothing. Requests for a link
    (reset, resend) are recorded first and handled by a loop, so their answer is alike for every address."""

    def __init__(
        self,
        users: UserRepository,
        tokens: AccountTokenRepository,
        mail: AccountMail,
        sessions: SessionRepository,
        requests: MailRequestQueue,
        uow: UnitOfWork,
    ) -> None:
        self._users = users
        self._tokens = tokens
        self._mail = mail
        self._sessions = sessions
        self._requests = requests
        self._uow = uow

    async def queue_verification(self, user: User) -> None:
        """A new verification token and its mail, in the caller's transaction (registration, email change)."""
        token = new_token()
        now = datetime.now(UTC)
        purpose = TokenPurpose.VERIFY_EMAIL
        await self._tokens.add(user.id, purpose, token_digest(token), user.email, now + purpose.lifetime)
        await self._mail.verification(user, token)

    async def request_mail(self, purpose: TokenPurpose, email: str) -> None:
        """Records a request for a verification or reset link: one INSERT and a commit whatever the address, so the
        answer (given once this returns) neither depends on the account nor loses the request afterwards."""
        await self._requests.add(purpose, email, datetime.now(UTC))
        await self._uow.commit()

    async def handle_mail_requests(self, limit: int) -> int:
        """The oldest ``limit`` recorded requests, in one transaction: their tokens and mails are queued and the
        requests removed together (a crash in between handles them again). Returns how many were handled."""
        requests = await self._requests.take(limit)
        for request in requests:
            if request.purpose is TokenPurpose.RESET_PASSWORD:
                await self._queue_password_reset(request.email)
            else:
                await self._queue_resend(request.email)
        await self._requests.remove([request.id for request in requests])
        await self._uow.commit()
        return len(requests)

    async def _queue_resend(self, email: str) -> None:
        """Queues a new link when an active account has this unverified address; nothing otherwise. At most
        RESENDS_PER_HOUR mails per account an hour."""
        user = await self._find_active(email)
        if user is None or user.email_verified_at is not None:
            return
        now = datetime.now(UTC)
        if await self._tokens.count_since(user.id, TokenPurpose.VERIFY_EMAIL, now - timedelta(hours=1)) >= (
            RESENDS_PER_HOUR
        ):
            log.warning("verification_resend_throttled", user_id=str(user.id))
            return
        await self.queue_verification(user)

    async def verify_email(self, token: str) -> User:
        """Raises VerificationTokenInvalid for an unknown, used or expired token, or one mailed to an address the
        user has changed since."""
        now = datetime.now(UTC)
        found = await self._tokens.consume(TokenPurpose.VERIFY_EMAIL, token_digest(token), now)
        if found is None or not await self._tokens.mark_email_verified(found[0], found[1], now):
            await self._uow.rollback()
            raise VerificationTokenInvalid("The verification link is invalid, used or expired")
        await self._uow.commit()
        log.info("email_verified", user_id=str(found[0]))
        return await self._user(found[0])

    async def _queue_password_reset(self, email: str) -> None:
        """Queues a reset link for an active account with this address; nothing otherwise. At most
        RESETS_PER_WINDOW mails per account per token lifetime."""
        user = await self._find_active(email)
        if user is None:
            log.info("password_reset_unknown")
            return
        now = datetime.now(UTC)
        purpose = TokenPurpose.RESET_PASSWORD
        if await self._tokens.count_since(user.id, purpose, now - purpose.lifetime) >= RESETS_PER_WINDOW:
            log.warning("password_reset_throttled", user_id=str(user.id))
            return
        token = new_token()
        await self._tokens.add(user.id, purpose, token_digest(token), user.email, now + purpose.lifetime)
        await self._mail.password_reset(user, token)
        log.info("password_reset_mailed", user_id=str(user.id))

    async def reset_target(self, token: str) -> User:
        """The account a live reset token belongs to (so its password can be checked against the policy)."""
        found = await self._tokens.find_live(TokenPurpose.RESET_PASSWORD, token_digest(token), datetime.now(UTC))
        if found is None:
            raise ResetTokenInvalid("The reset link is invalid, used or expired")
        return await self._user(found[0])

    async def complete_password_reset(self, token: str, password_hash: str) -> User:
        """One transaction: the token is spent, the hash stored, token_version bumped, every session ended."""
        now = datetime.now(UTC)
        found = await self._tokens.consume(TokenPurpose.RESET_PASSWORD, token_digest(token), now)
        if found is None:
            await self._uow.rollback()
            raise ResetTokenInvalid("The reset link is invalid, used or expired")
        user = await self._user(found[0])
        user.password_hash = password_hash
        user.revoke_tokens()
        user = await self._users.save(user)
        ended = await self._sessions.revoke_all(user.id, RevokeReason.PASSWORD_CHANGED, now)
        await self._uow.commit()
        log.info("password_reset_completed", user_id=str(user.id), sessions_ended=ended)
        return user

    async def _find_active(self, email: str) -> User | None:
        try:
            address = normalize_email(email) if looks_like_email(email) else None
        except InvalidInputError:
            return None
        user = await self._users.get_by_login(address) if address else None
        return user if user is not None and user.is_active else None

    async def _user(self, user_id: uuid.UUID) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user with id {user_id}")
        return user
