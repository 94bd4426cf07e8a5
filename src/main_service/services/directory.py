"""The internal user directory other services consult: lookups, sign-up, passwords, limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from main_service.domain import flags
from main_service.domain.errors import EmailTaken, RegistrationDisabled, UsernameTaken, UserNotFound
from main_service.domain.permissions import DEFAULT_ROLE
from main_service.domain.users import (
    User,
    UserLimits,
    looks_like_email,
    normalize_email,
    normalize_name,
    normalize_username,
)
from main_service.ports.accounts import EmailVerification
from main_service.ports.directory import RoleRepository, UserRepository
from main_service.ports.flags import FeatureFlags
from qhitz_shared.errors import InvalidInputError
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork

MIB = 1024 * 1024


class DirectoryService:
    """What auth_service and medias_service need from main_service, reached over /internal/v1."""

    def __init__(
        self,
        users: UserRepository,
        roles: RoleRepository,
        flags: FeatureFlags,
        uow: UnitOfWork,
        verification: EmailVerification,
    ) -> None:
        self._users = users
        self._roles = roles
        self._flags = flags
        self._uow = uow
        self._verification = verification

    async def lookup(self, login: str) -> User:
        try:
            key = normalize_email(login) if looks_like_email(login) else normalize_username(login)
        except InvalidInputError:
            raise UserNotFound("No such user") from None
        user = await self._users.get_by_login(key)
        if user is None:
            raise UserNotFound("No such user")
        return user

    async def must_verify_email(self, user: User) -> bool:
        """The require-verified-email flag is on for this user and the address is not verified."""
        if user.email_verified_at is not None:
            return False
        required = await self._flags.value(
            flags.REQUIRE_VERIFIED_EMAIL, flags.attributes_for(user), flags.DEFAULTS[flags.REQUIRE_VERIFIED_EMAIL]
        )
        return bool(required)

    async def get(self, user_id: uuid.UUID) -> User:
        user = await self._users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user with id {user_id}")
        return user

    async def register(
        self, *, email: str, username: str, password_hash: str, first_name: str | None, last_name: str | None
    ) -> User:
        email = normalize_email(email)
        username = normalize_username(username)
        if not await self._flags.value(
            flags.USER_REGISTRATION, {"email": email}, flags.DEFAULTS[flags.USER_REGISTRATION]
        ):
            raise RegistrationDisabled("Registration is currently switched off")
        if await self._users.email_exists(email):
            raise EmailTaken(f"{email} is already registered")
        if await self._users.username_exists(username):
            raise UsernameTaken(f"{username} is already taken")
        user = await self._users.add(
            User(
                id=new_id(),
                email=email,
                username=username,
                password_hash=password_hash,
                first_name=normalize_name(first_name, "first_name"),
                last_name=normalize_name(last_name, "last_name"),
            )
        )
        role = await self._roles.get_by_name(DEFAULT_ROLE)
        if role is not None:
            await self._users.set_roles(user.id, {role.id})
        await self._verification.queue_verification(user)  # the mail leaves only if the account is committed
        await self._uow.commit()
        return await self.get(user.id)

    async def set_password_hash(self, user_id: uuid.UUID, password_hash: str, *, revoke_tokens: bool) -> User:
        user = await self.get(user_id)
        user.password_hash = password_hash
        if revoke_tokens:
            user.revoke_tokens()
        user = await self._users.save(user)
        await self._uow.commit()
        return user

    async def revoke_tokens(self, user_id: uuid.UUID) -> User:
        user = await self.get(user_id)
        user.revoke_tokens()
        user = await self._users.save(user)
        await self._uow.commit()
        return user

    async def record_login(self, user_id: uuid.UUID) -> None:
        user = await self.get(user_id)
        user.last_login_at = datetime.now(UTC)
        await self._users.save(user)
        await self._uow.commit()

    async def limits(self, user_id: uuid.UUID) -> UserLimits:
        user = await self.get(user_id)
        attributes = flags.attributes_for(user)
        upload_mb = await self._flags.value(
            flags.MEDIA_MAX_UPLOAD_MB, attributes, flags.DEFAULTS[flags.MEDIA_MAX_UPLOAD_MB]
        )
        quota_mb = await self._flags.value(
            flags.MEDIA_STORAGE_QUOTA_MB, attributes, flags.DEFAULTS[flags.MEDIA_STORAGE_QUOTA_MB]
        )
        return UserLimits(
            max_upload_bytes=int(float(upload_mb) * MIB),
            storage_quota_bytes=int(float(quota_mb) * MIB),
            must_verify_email=await self.must_verify_email(user),
        )
