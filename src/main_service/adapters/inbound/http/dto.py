"""Request and response bodies (snake_case JSON). password_hash appears only in the internal directory DTO."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from main_service.domain.roles import MAX_ROLE_DESCRIPTION, MAX_ROLE_NAME, Role
from main_service.domain.users import MAX_EMAIL, MAX_NAME, MAX_USERNAME, User, UserStatus
from qhitz_shared.http.inputs import Text


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

    @classmethod
    def of(cls, user: User) -> DirectoryUser:
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


def unset_to_none(value: object) -> object:
    return None if value is msgspec.UNSET else value
