"""Roles: named sets of permissions. System roles keep their core permissions and cannot be deleted."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from main_service.domain.errors import InvalidRoleData, SystemRoleProtected, UnknownPermission
from main_service.domain.permissions import PERMISSIONS, SYSTEM_ROLES
from qhitz_shared.text import clean_text, nfc

_ROLE_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,49}$")


MAX_ROLE_NAME = 50
MAX_ROLE_DESCRIPTION = 500


def normalize_role_name(value: str) -> str:
    name = nfc(value).strip().lower()
    if not _ROLE_NAME.match(name):
        raise InvalidRoleData(
            "A role name has 2 to 50 characters: a-z, digits, '-' or '_', starting with a letter", field="name"
        )
    return name


def normalize_role_description(value: str | None) -> str | None:
    """NFC, trimmed, at most 500 code points; line breaks kept, other control characters refused."""
    if value is None:
        return None
    return (
        clean_text(value, field="description", max_length=MAX_ROLE_DESCRIPTION, multiline=True, error=InvalidRoleData)
        or None
    )


def validate_permissions(codes: set[str]) -> frozenset[str]:
    unknown = sorted(codes - set(PERMISSIONS))
    if unknown:
        raise UnknownPermission(f"Unknown permission codes: {', '.join(unknown)}", unknown=unknown)
    return frozenset(codes)


@dataclass(slots=True)
class Role:
    id: uuid.UUID
    name: str
    description: str | None = None
    is_system: bool = False
    permissions: frozenset[str] = field(default_factory=frozenset)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def core_permissions(self) -> frozenset[str]:
        return SYSTEM_ROLES[self.name][1] if self.is_system and self.name in SYSTEM_ROLES else frozenset()

    def replace_permissions(self, codes: set[str]) -> None:
        wanted = validate_permissions(codes)
        missing = sorted(self.core_permissions - wanted)
        if missing:
            raise SystemRoleProtected(f"The system role {self.name} keeps {', '.join(missing)}", missing=missing)
        self.permissions = wanted

    def rename(self, name: str) -> None:
        if self.is_system:
            raise SystemRoleProtected(f"The system role {self.name} cannot be renamed")
        self.name = normalize_role_name(name)

    def ensure_deletable(self) -> None:
        if self.is_system:
            raise SystemRoleProtected(f"The system role {self.name} cannot be deleted")
