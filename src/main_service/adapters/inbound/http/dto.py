"""Request and response bodies (snake_case JSON). password_hash appears only in the internal directory DTO."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from main_service.domain.api_keys import ApiKey
from main_service.domain.mfa import Acceptance, LoginChallenge
from main_service.domain.roles import MAX_ROLE_DESCRIPTION, MAX_ROLE_NAME, Role
from main_service.domain.users import MAX_EMAIL, MAX_NAME, MAX_USERNAME, User, UserStatus
from qhitz_shared.http.inputs import INT64_MAX, AwareDateTime, MailedToken, Text


class UserOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    username: str
    first_name: str | None
    last_name: str | None
    status: UserStatus
    roles: list[str]
    permissions: list[str]
    last_login_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    email_verified_at: datetime | None = None
    mfa_enabled: bool = False  # TOTP two-factor authentication is on

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            status=user.status,
            roles=user.roles,
            permissions=user.permissions,
            last_login_at=user.last_login_at,
            created_at=user.created_at,
            updated_at=user.updated_at,
            email_verified_at=user.email_verified_at,
            mfa_enabled=user.totp_enabled_at is not None,
        )


# Bounds at the boundary; the domain rules (NFC first) say exactly what fits.
Email = Text(MAX_EMAIL)
Username = Text(MAX_USERNAME)
Name = Text(MAX_NAME)
RoleName = Text(MAX_ROLE_NAME)
RoleDescription = Text(MAX_ROLE_DESCRIPTION)
PermissionCode = Text(64, normalised=False)
PasswordHash = Text(255, min_length=1, normalised=False)
PermissionCodes = Annotated[list[PermissionCode], msgspec.Meta(max_length=256)]


class UserPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; an empty string clears a name."""

    email: Email | msgspec.UnsetType = msgspec.UNSET
    username: Username | msgspec.UnsetType = msgspec.UNSET
    first_name: Name | msgspec.UnsetType | None = msgspec.UNSET
    last_name: Name | msgspec.UnsetType | None = msgspec.UNSET


class UserPut(msgspec.Struct, forbid_unknown_fields=True):
    """Every editable field; a null name clears it."""

    email: Email
    username: Username
    first_name: Name | None
    last_name: Name | None


class RoleOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str | None
    is_system: bool
    permissions: list[str]
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, role: Role) -> RoleOut:
        return cls(
            id=role.id,
            name=role.name,
            description=role.description,
            is_system=role.is_system,
            permissions=sorted(role.permissions),
            created_at=role.created_at,
            updated_at=role.updated_at,
        )


class RoleCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: RoleName
    description: RoleDescription | None = None
    permissions: PermissionCodes = []


class RolePatch(msgspec.Struct, forbid_unknown_fields=True):
    name: RoleName | msgspec.UnsetType = msgspec.UNSET
    description: RoleDescription | msgspec.UnsetType = msgspec.UNSET


class RolePermissionsPut(msgspec.Struct, forbid_unknown_fields=True):
    permissions: PermissionCodes


class PermissionOut(msgspec.Struct):
    code: str
    description: str


class UserRolesOut(msgspec.Struct):
    user_id: uuid.UUID
    roles: list[str]


class DayCount(msgspec.Struct):
    day: date
    count: int


class UserStatsOut(msgspec.Struct):
    total: int
    by_status: dict[str, int]
    by_role: dict[str, int]
    signups_per_day: list[DayCount]


class DirectoryUser(msgspec.Struct):
    """What services need to authenticate and authorize a user."""

    id: uuid.UUID
    email: str
    username: str
    password_hash: str | None
    status: UserStatus
    roles: list[str]
    permissions: list[str]
    token_version: int
    first_name: str | None
    last_name: str | None
    email_verified: bool = False
    must_verify_email: bool = False  # require-verified-email is on for this user and the address is unverified
    totp_enabled: bool = False
    totp_secret: str | None = None  # as auth_service stored it (encrypted); set while pending or enabled

    @classmethod
    def of(cls, user: User, *, must_verify_email: bool = False) -> DirectoryUser:
        return cls(
            id=user.id,
            email=user.email,
            username=user.username,
            password_hash=user.password_hash,
            status=user.status,
            roles=user.roles,
            permissions=user.permissions,
            token_version=user.token_version,
            first_name=user.first_name,
            last_name=user.last_name,
            email_verified=user.email_verified_at is not None,
            must_verify_email=must_verify_email,
            totp_enabled=user.totp_enabled_at is not None,
            totp_secret=user.totp_secret,
        )


class DirectoryUserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    username: Username
    password_hash: PasswordHash
    first_name: Name | None = None
    last_name: Name | None = None


class PasswordHashPut(msgspec.Struct, forbid_unknown_fields=True):
    password_hash: PasswordHash
    revoke_tokens: bool = True


class ChatUser(msgspec.Struct):
    """What chat_service learns of a user it adds to a group."""

    id: uuid.UUID
    username: str


class LimitsOut(msgspec.Struct):
    user_id: uuid.UUID
    max_upload_bytes: int
    storage_quota_bytes: int
    must_verify_email: bool = False  # uploads are refused until the user's email is verified


def unset_to_none(value: object) -> object:
    return None if value is msgspec.UNSET else value


class EmailIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email


class PasswordResetCompleteIn(msgspec.Struct, forbid_unknown_fields=True):
    token: MailedToken
    password_hash: PasswordHash


CodeHash = Text(64, min_length=64, normalised=False)
EncryptedSecret = Text(512, min_length=1, normalised=False)
ChallengeId = Text(64, min_length=1, normalised=False)


class TotpSecretPut(msgspec.Struct, forbid_unknown_fields=True):
    secret: EncryptedSecret


class LoginChallengeIn(msgspec.Struct, forbid_unknown_fields=True):
    """The login's two-factor challenge: spent with the factor, once."""

    jti: ChallengeId
    expires_at: AwareDateTime

    def to_domain(self) -> LoginChallenge:
        return LoginChallenge(jti=self.jti, expires_at=self.expires_at)


class TotpStep(msgspec.Struct, forbid_unknown_fields=True):
    step: Annotated[int, msgspec.Meta(ge=0, le=INT64_MAX)]


class TotpStepIn(TotpStep, forbid_unknown_fields=True):
    challenge: LoginChallengeIn | None = None


class TotpEnableIn(TotpStep, forbid_unknown_fields=True):
    recovery_code_hashes: Annotated[list[CodeHash], msgspec.Meta(min_length=1, max_length=20)]


class RecoveryCodeIn(msgspec.Struct, forbid_unknown_fields=True):
    code_hash: CodeHash
    challenge: LoginChallengeIn | None = None


class AcceptedOut(msgspec.Struct):
    accepted: bool
    challenge_used: bool = False  # refused because the login's challenge completed a login already

    @classmethod
    def of(cls, acceptance: Acceptance) -> AcceptedOut:
        return cls(accepted=acceptance is Acceptance.ACCEPTED, challenge_used=acceptance is Acceptance.CHALLENGE_USED)


KeyName = Text(100, min_length=1)
KeyPrefix = Text(16, min_length=1, normalised=False)


class ApiKeyCreateIn(msgspec.Struct, forbid_unknown_fields=True):
    name: KeyName
    prefix: KeyPrefix
    key_hash: CodeHash
    scopes: Annotated[list[PermissionCode], msgspec.Meta(max_length=64)]
    expires_at: AwareDateTime | None = None


class ApiKeyDoc(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyDoc:
        return cls(
            id=key.id,
            user_id=key.user_id,
            name=key.name,
            prefix=key.prefix,
            scopes=key.scopes,
            created_at=key.created_at,
            expires_at=key.expires_at,
            last_used_at=key.last_used_at,
        )


class ApiKeyHashIn(msgspec.Struct, forbid_unknown_fields=True):
    key_hash: CodeHash


class ResolvedApiKey(msgspec.Struct):
    key: ApiKeyDoc
    user: DirectoryUser
