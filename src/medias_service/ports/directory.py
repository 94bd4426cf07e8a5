"""What medias_service asks main_service: an owner's limits, with a service token."""

from __future__ import annotations

import uuid
from typing import Protocol

from medias_service.domain.library import Limits
from qhitz_shared.ports import ServiceTokenSource

__all__ = ["OwnerLimits", "ServiceTokenSource"]


class OwnerLimits(Protocol):
    """The owner's max upload size and storage quota (cached briefly by adapters)."""

    async def of(self, owner_id: uuid.UUID) -> Limits:
        """Raises OwnerUnknown when the directory has no such user, DependencyUnavailableError when unreachable."""
        ...
