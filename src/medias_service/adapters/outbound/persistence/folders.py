"""SqlaFolderRepository: the folder tree, walked with recursive CTEs (PostgreSQL and SQLite alike)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import BlobModel, FolderModel, MediaModel, MediaVersionModel
from medias_service.domain.errors import InvalidFolderName, NameTaken
from medias_service.domain.folders import ChildSort, Folder, FolderFile, SubtreeTotals, folder_name
from qhitz_shared.db import translate_integrity_error

# PostgreSQL names the partial unique index; SQLite says "UNIQUE constraint failed: folder.owner_id, folder.name_key".
NAME_CLASHES: dict[str, type[Exception]] = {"uq_folder_": NameTaken, "folder.name_key": NameTaken}
MAX_DEPTH = 10_000  # bounds a walk up the tree even if a cycle ever slipped in
_folder = FolderModel.__table__
_COLUMNS = tuple(
    _folder.c[name] for name in ("id", "owner_id", "parent_id", "name", "created_at", "updated_at", "trashed_at")
)


def folder_of(row: Any) -> Folder:
    return Folder(*row)


def subtree(folder_id: Any, *, active_only: bool = True) -> Any:
    """A recursive CTE of ``folder_id`` and every folder below it (not in trash unless ``active_only`` is off)."""
    top = select(_folder.c.id).where(_folder.c.id == folder_id).cte("subtree", recursive=True)
    below = select(_folder.c.id).join(top, _folder.c.parent_id == top.c.id)
    if active_only:
        below = below.where(_folder.c.trashed_at.is_(None))
    return top.union_all(below)


def ancestry(folder_id: Any) -> Any:
    """A recursive CTE of ``folder_id`` and its ancestors, with their depth above it (0: the folder)."""
    start = select(*_COLUMNS, literal(0).label("depth")).where(_folder.c.id == folder_id).cte("up", recursive=True)
    parent = select(*_COLUMNS, (start.c.depth + 1).label("depth")).join(start, _folder.c.id == start.c.parent_id)
    return start.union_all(parent.where(start.c.depth < MAX_DEPTH))


class SqlaFolderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, folder_id: uuid.UUID, *, lock: bool = False) -> Folder | None:
        query = select(*_COLUMNS).where(_folder.c.id == folder_id)
        row = (await self._session.execute(query.with_for_update() if lock else query)).first()
        return folder_of(row) if row else None

    async def add(self, folder: Folder) -> None:
        _, key = folder_name(folder.name)
        values = {"owner_id": folder.owner_id, "parent_id": folder.parent_id, "name": folder.name, "name_key": key}
        model = FolderModel(id=folder.id, **values)
        self._session.add(model)
        await self._flush()
        folder.created_at, folder.updated_at = model.created_at, model.updated_at

    async def save(self, folder: Folder) -> None:
        _, key = folder_name(folder.name)
        model = await self._session.get(FolderModel, folder.id, populate_existing=True)
        assert model is not None
        model.name, model.name_key, model.parent_id = folder.name, key, folder.parent_id
        await self._flush()
        folder.updated_at = model.updated_at

    async def _flush(self) -> None:
        try:
            await self._session.flush()
        except IntegrityError as exc:
            raise (translate_integrity_error(exc, NAME_CLASHES) or exc) from exc

    async def ancestors(self, folder_id: uuid.UUID) -> list[Folder]:
        """The folder and its ancestors, from the top-level one down to the folder itself."""
        up = ancestry(folder_id)
        rows = (await self._session.execute(select(*up.c[: len(_COLUMNS)]).order_by(up.c.depth.desc()))).all()
        return [folder_of(row) for row in rows]

    async def lock(self, folder_ids: list[uuid.UUID]) -> None:
        """Row locks until commit, taken in id order (two transactions locking overlapping sets cannot deadlock)."""
        for folder_id in sorted(folder_ids):
            await self._session.execute(select(_folder.c.id).where(_folder.c.id == folder_id).with_for_update())

    async def totals(self, folder_id: uuid.UUID) -> SubtreeTotals:
        tree = subtree(folder_id)
        folders = await self._session.scalar(select(func.count()).select_from(tree))
        media = (
            await self._session.execute(
                select(func.count(MediaModel.id), func.coalesce(func.sum(MediaModel.size), 0)).where(
                    MediaModel.folder_id.in_(select(tree.c.id)), MediaModel.deleted_at.is_(None)
                )
            )
        ).one()
        return SubtreeTotals(folders=int(folders or 1) - 1, media=int(media[0]), bytes=int(media[1]))

    async def trash_subtree(self, folder_id: uuid.UUID, now: datetime) -> None:
        """The folder, every active folder below it and their active media go to trash, marked as trashed with it."""
        tree = select(subtree(folder_id).c.id)
        await self._session.execute(
            update(MediaModel)
            .where(MediaModel.folder_id.in_(tree), MediaModel.deleted_at.is_(None))
            .values(deleted_at=now, trashed_with_folder_id=folder_id, updated_at=now)
        )
        await self._session.execute(
            update(_folder)
            .where(_folder.c.id.in_(tree))
            .values(trashed_at=now, trash_root_id=folder_id, updated_at=now)
        )

    async def restore_subtree(self, folder: Folder, now: datetime) -> None:
        """What ``trash_subtree(folder.id)`` put in trash comes back; the folder goes under ``folder.parent_id``."""
        folder_id = folder.id
        try:
            await self._session.execute(
                update(_folder)
                .where(_folder.c.trash_root_id == folder_id)
                .values(trashed_at=None, trash_root_id=None, updated_at=now)
            )
            await self._session.execute(
                update(_folder).where(_folder.c.id == folder_id).values(parent_id=folder.parent_id)
            )
        except IntegrityError as exc:
            raise (translate_integrity_error(exc, NAME_CLASHES) or exc) from exc
        await self._session.execute(
            update(MediaModel)
            .where(MediaModel.trashed_with_folder_id == folder_id)
            .values(deleted_at=None, trashed_with_folder_id=None, updated_at=now)
        )

    async def children(
        self,
        owner_id: uuid.UUID,
        parent_id: uuid.UUID | None,
        sort: ChildSort,
        descending: bool,
        offset: int,
        limit: int,
    ) -> tuple[list[Folder], int]:
        """Active sub-folders of ``parent_id`` (None: ``owner_id``'s root), one window of them, and how many."""
        where = [_folder.c.trashed_at.is_(None)]
        if parent_id is None:
            where += [_folder.c.owner_id == owner_id, _folder.c.parent_id.is_(None)]
        else:
            where.append(_folder.c.parent_id == parent_id)
        total = int(await self._session.scalar(select(func.count()).select_from(_folder).where(*where)) or 0)
        if limit <= 0 or offset >= total:
            return [], total
        column = _folder.c.updated_at if sort is ChildSort.UPDATED_AT else _folder.c.name_key  # folders: no size
        keys = (column.desc(), _folder.c.id.desc()) if descending else (column.asc(), _folder.c.id.asc())
        rows = await self._session.execute(select(*_COLUMNS).where(*where).order_by(*keys).offset(offset).limit(limit))
        return [folder_of(row) for row in rows], total

    async def child_named(self, parent_id: uuid.UUID, name: str) -> Folder | None:
        """The active sub-folder whose name matches ``name`` case-insensitively (the sibling rule's key)."""
        try:
            _, key = folder_name(name)
        except InvalidFolderName:
            return None
        row = (
            await self._session.execute(
                select(*_COLUMNS).where(
                    _folder.c.parent_id == parent_id, _folder.c.name_key == key, _folder.c.trashed_at.is_(None)
                )
            )
        ).first()
        return folder_of(row) if row else None

    async def files_below(self, folder_id: uuid.UUID) -> list[FolderFile]:
        """Every active media in the folder's active subtree: its path below the folder, its current content."""
        down = select(_folder.c.id, _folder.c.parent_id, _folder.c.name).where(_folder.c.id == folder_id)
        tree = down.cte("files_tree", recursive=True)
        tree = tree.union_all(
            select(_folder.c.id, _folder.c.parent_id, _folder.c.name)
            .join(tree, _folder.c.parent_id == tree.c.id)
            .where(_folder.c.trashed_at.is_(None))
        )
        folders = {row.id: row for row in (await self._session.execute(select(tree))).all()}
        version, blob = MediaVersionModel.__table__, BlobModel.__table__
        rows = await self._session.execute(
            select(
                MediaModel.folder_id,
                MediaModel.title,
                version.c.original_filename,
                blob.c.storage_key,
                version.c.size,
                version.c.sha256,
                version.c.created_at,
            )
            .join(version, and_(version.c.media_id == MediaModel.id, version.c.number == MediaModel.current_version))
            .join(blob, blob.c.id == version.c.blob_id)
            .where(MediaModel.folder_id.in_(select(tree.c.id)), MediaModel.deleted_at.is_(None))
            .order_by(MediaModel.folder_id, MediaModel.title, MediaModel.id)
        )

        def path_of(current: uuid.UUID) -> tuple[str, ...]:
            parts: list[str] = []
            while current != folder_id:
                parts.append(folders[current].name)
                current = folders[current].parent_id
            return tuple(reversed(parts))

        return [FolderFile(path_of(row[0]), row[2] or row[1], row[3], int(row[4]), row[5], row[6]) for row in rows]

    async def purge_trashed(self, trashed_before: datetime) -> int:
        """Delete folders trashed before the date (their media are purged with the media trash)."""
        result = await self._session.execute(
            delete(_folder).where(and_(_folder.c.trashed_at.is_not(None), _folder.c.trashed_at < trashed_before))
        )
        return int(result.rowcount or 0)
