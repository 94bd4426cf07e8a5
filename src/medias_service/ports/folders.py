"""The folder tree of each owner's drive."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from medias_service.domain.folders import ChildSort, Folder, FolderFile, SubtreeTotals


class FolderRepository(Protocol):
    async def get(self, folder_id: uuid.UUID, *, lock: bool = False) -> Folder | None:
        """Trashed or not; ``lock`` holds the row until commit."""
        ...

    async def add(self, folder: Folder) -> None:
        """NameTaken when an active sibling has the same case-folded name."""
        ...

    async def save(self, folder: Folder) -> None:
        """Persist name and parent; NameTaken as in ``add``."""
        ...

    async def ancestors(self, folder_id: uuid.UUID) -> list[Folder]:
        """The folder and its ancestors, top-level first, the folder last ([] when it does not exist)."""
        ...

    async def lock(self, folder_ids: list[uuid.UUID]) -> None:
        """Lock these rows until commit, in a fixed order."""
        ...

    async def totals(self, folder_id: uuid.UUID) -> SubtreeTotals: ...

    async def trash_subtree(self, folder_id: uuid.UUID, now: datetime) -> None:
        """The folder, the active folders below it and their active media go to trash together."""
        ...

    async def restore_subtree(self, folder: Folder, now: datetime) -> None:
        """Bring back what went to trash with ``folder``, placing it under ``folder.parent_id``; NameTaken when an
        active sibling there has its name."""
        ...

    async def children(
        self,
        owner_id: uuid.UUID,
        parent_id: uuid.UUID | None,
        sort: ChildSort,
        descending: bool,
        offset: int,
        limit: int,
    ) -> tuple[list[Folder], int]:
        """A window of the active sub-folders of ``parent_id`` (None: the owner's root) and their number; by name
        (case-folded) or updated_at (folders have no size order: by name then), ties by id."""
        ...

    async def child_named(self, parent_id: uuid.UUID, name: str) -> Folder | None:
        """The active sub-folder of ``parent_id`` named ``name`` (case-insensitively), if any."""
        ...

    async def files_below(self, folder_id: uuid.UUID) -> list[FolderFile]:
        """Every active media of the folder's active subtree, with its path below the folder."""
        ...

    async def purge_trashed(self, trashed_before: datetime) -> int: ...
