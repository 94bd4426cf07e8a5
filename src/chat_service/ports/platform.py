"""What chat_service asks the rest of the platform: who a user is, and whether an item may be played."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from chat_service.domain.playback import Item


@dataclass(frozen=True)
class DirectoryEntry:
    user_id: uuid.UUID
    username: str


class UserDirectory(Protocol):
    async def find_by_email(self, email: str) -> DirectoryEntry | None:
        """main_service's directory entry for ``email``; None when no active user has it. Raises
        DependencyUnavailableError when main_service cannot answer."""
        ...


class MediaCatalog(Protocol):
    async def check_playable(self, item: Item, sharer_token: str) -> None:
        """Raises ItemNotPlayable unless the sharer (whose access token is ``sharer_token``) may read the media,
        or the share link is valid; DependencyUnavailableError when medias_service cannot answer."""
        ...
