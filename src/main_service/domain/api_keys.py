"""Personal access tokens (API keys): what main_service keeps of them. auth_service makes the key and its hash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

MAX_KEYS_PER_USER = 50


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    prefix: str  # the key's first characters, shown to tell keys apart
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
