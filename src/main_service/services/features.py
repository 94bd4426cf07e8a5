"""Feature flags evaluated for a caller."""

from __future__ import annotations

import uuid
from typing import Any

from main_service.domain import flags
from main_service.domain.errors import UserNotFound
from main_service.ports.directory import UserRepository
from main_service.ports.flags import FeatureFlags


class FeatureService:
    def __init__(self, users: UserRepository, flags: FeatureFlags) -> None:
        self._users = users
        self._flags = flags

    async def for_user(self, user_id: uuid.UUID) -> dict[str, Any]:
        """Every known flag, evaluated with the user's current attributes (not the token's, which may lag)."""
        user = await self._users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user with id {user_id}")
        evaluated = await self._flags.evaluate_all(flags.attributes_for(user))
        return {**flags.DEFAULTS, **evaluated}
