"""Projects and their assets: plain data and the text rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from qhitz_shared.errors import InvalidInputError
from qhitz_shared.text import clean_text

MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_METADATA_KEYS = 32
MAX_METADATA_KEY = 64
MAX_METADATA_VALUE = 1000


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class AssetKind(StrEnum):
    SCRIPT = "script"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    OTHER = "other"


@dataclass(slots=True)
class Project:
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    description: str = ""
    status: ProjectStatus = ProjectStatus.DRAFT
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProjectChanges:
    name: str | None = None
    description: str | None = None
    status: ProjectStatus | None = None


@dataclass(frozen=True, slots=True)
class Asset:
    id: uuid.UUID
    project_id: uuid.UUID
    media_id: uuid.UUID
    kind: AssetKind
    metadata: dict[str, Any] = field(default_factory=dict)
    derived_from_job: uuid.UUID | None = None
    derived_from_asset: uuid.UUID | None = None
    created_at: datetime | None = None


def project_name(value: str) -> str:
    """NFC, one line, 1..MAX_NAME code points (422 invalid_input otherwise)."""
    name = clean_text(value, field="name", max_length=MAX_NAME)
    if not name:
        raise InvalidInputError("name cannot be empty", field="name")
    return name


def project_description(value: str) -> str:
    return clean_text(value, field="description", max_length=MAX_DESCRIPTION, multiline=True)


def asset_metadata(given: dict[str, Any]) -> dict[str, str | bool | None]:
    """Up to MAX_METADATA_KEYS keys, each a non-empty line of text in NFC; values text (NFC, multi-line), a
    boolean or null. InvalidInputError (422) naming the key otherwise."""
    if len(given) > MAX_METADATA_KEYS:
        raise InvalidInputError(f"metadata has at most {MAX_METADATA_KEYS} keys", field="metadata")
    clean: dict[str, str | bool | None] = {}
    for raw_key, value in given.items():
        key = clean_text(raw_key, field="metadata", max_length=MAX_METADATA_KEY)
        if not key:
            raise InvalidInputError("metadata keys cannot be empty", field="metadata")
        if isinstance(value, str):
            value = clean_text(value, field=f"metadata.{key}", max_length=MAX_METADATA_VALUE, multiline=True)
        elif value is not None and not isinstance(value, bool):
            raise InvalidInputError("metadata values are text, true, false or null", field=f"metadata.{key}")
        clean[key] = value
    return clean
