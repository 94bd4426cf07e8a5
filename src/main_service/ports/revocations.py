"""The revocation log: what main_service's triggers recorded, read by the feed and the internal catch-up route."""

from __future__ import annotations

from typing import Protocol

from qhitz_shared.revocation.events import RevocationPage


class RevocationLog(Protocol):
    async def since(self, cursor: int, limit: int) -> RevocationPage:
        """Events with seq > cursor inside the retention window, oldest first, at most ``limit``."""
        ...
