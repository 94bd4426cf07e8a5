"""Folders of the drive: create, read with breadcrumbs and totals, rename, move, trash and restore a subtree.

Another owner's folder is reported missing (404 folder_not_found) unless the caller has media:read:any; changing
it needs media:write:any (media:delete:any to trash or restore), as for media.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from medias_service.domain.errors import FolderCycle, FolderInTrash, FolderNotFound
from medias_service.domain.folders import ChildOrder, Children, Folder, FolderDetails, folder_name
from medias_service.domain.permissions import (
    MEDIA_DELETE,
    MEDIA_WRITE,
    can_delete_owned,
    can_read,
    can_see_owner,
    can_write_owned,
)
from medias_service.ports.folders import FolderRepository
from medias_service.services.access import require, user_of
from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal

MOVE_ATTEMPTS = 5


async def visible_folder(
    folders: FolderRepository,
    actor: Principal | None,
    folder_id: uuid.UUID,
    *,
    include_trash: bool = False,
    lock: bool = False,
) -> Folder:
    """The folder if the caller may read it; FolderNotFound otherwise, exactly as if it did not exist."""
    folder = await folders.get(folder_id, lock=lock)
    if folder is None or (folder.in_trash and not include_trash) or not can_read(actor, folder):
        raise FolderNotFound(f"No folder with id {folder_id}")
    return folder


async def destination(folders: FolderRepository, owner_id: uuid.UUID, folder_id: uuid.UUID | None) -> uuid.UUID | None:
    """``folder_id`` checked as a place for ``owner_id``'s things: an active folder of the same owner."""
    if folder_id is None:
        return None
    folder = await folders.get(folder_id)
    if folder is None or folder.in_trash or folder.owner_id != owner_id:
        raise FolderNotFound(f"No folder with id {folder_id}")
    return folder.id


class FolderService:
    def __init__(self, folders: FolderRepository, uow: UnitOfWork) -> None:
        self._folders = folders
        self._uow = uow

    async def create(self, actor: Principal, name: str, parent_id: uuid.UUID | None) -> Folder:
        """In the caller's root, or in a folder they may change (its owner's then). InvalidFolderName, NameTaken."""
        actor = user_of(actor)
        clean, _ = folder_name(name)
        owner_id = actor.user_id
        if parent_id is not None:
            owner_id = (await self._writable(actor, parent_id)).owner_id
        require(can_write_owned(actor, owner_id), MEDIA_WRITE)
        folder = Folder(id=new_id(), owner_id=owner_id, parent_id=parent_id, name=clean)
        await self._folders.add(folder)
        await self._uow.commit()
        return folder

    async def details(self, actor: Principal, folder_id: uuid.UUID) -> FolderDetails:
        """The folder (in trash too, so that it can be restored), its breadcrumbs and its subtree's totals."""
        folder = await visible_folder(self._folders, user_of(actor), folder_id, include_trash=True)
        chain = await self._folders.ancestors(folder_id)
        totals = await self._folders.totals(folder_id)
        await self._uow.rollback()
        return FolderDetails(folder=folder, breadcrumbs=chain[:-1], totals=totals)

    async def update(
        self, actor: Principal, folder_id: uuid.UUID, *, name: str | None, move: bool, parent_id: uuid.UUID | None
    ) -> Folder:
        """Rename and/or move (``move``: to ``parent_id``, None for the root). FolderCycle, NameTaken."""
        actor = user_of(actor)
        folder = await self._writable(actor, folder_id, lock=False)  # locks come below, all in one order
        moving = move and parent_id != folder.parent_id
        if moving:
            await self._lock_for_move(folder, parent_id)
        else:
            await self._folders.lock([folder.id])
        folder = await visible_folder(self._folders, actor, folder_id)  # as it is now that it is locked
        if moving:
            folder.parent_id = parent_id
        if name is not None:
            folder.name, _ = folder_name(name)
        await self._folders.save(folder)
        await self._uow.commit()
        return folder

    async def _lock_for_move(self, folder: Folder, parent_id: uuid.UUID | None) -> None:
        """Locks the folder and the new parent's whole ancestry, then checks for a cycle on what it locked: two
        crossing moves lock overlapping rows, so the second sees the first's result and is refused."""
        if parent_id is None:
            await self._folders.lock([folder.id])
            return
        chain = await self._folders.ancestors(parent_id)
        for _ in range(MOVE_ATTEMPTS):
            await self._folders.lock([folder.id, *(item.id for item in chain)])
            again = await self._folders.ancestors(parent_id)
            if [item.id for item in again] == [item.id for item in chain]:
                break
            chain = again  # it moved meanwhile: lock the new chain too
        if not chain or chain[-1].in_trash or chain[-1].owner_id != folder.owner_id:
            raise FolderNotFound(f"No folder with id {parent_id}")
        if any(item.id == folder.id for item in chain):
            raise FolderCycle("A folder cannot move into itself or one of its descendants")

    async def trash(self, actor: Principal, folder_id: uuid.UUID) -> Folder:
        """The folder, its sub-folders and their media go to trash in one transaction."""
        folder = await self._deletable(user_of(actor), folder_id)
        if folder.in_trash:
            raise FolderInTrash("The folder is already in the trash")
        now = datetime.now(UTC)
        await self._folders.trash_subtree(folder.id, now)
        await self._uow.commit()
        folder.trashed_at = now
        return folder

    async def restore(self, actor: Principal, folder_id: uuid.UUID) -> Folder:
        """Everything trashed with the folder comes back where it was, or at the root when its parent is gone
        (in trash or purged). NameTaken when an active folder there has its name."""
        folder = await self._deletable(user_of(actor), folder_id)
        if not folder.in_trash:
            raise FolderInTrash("The folder is not in the trash")
        if folder.parent_id is not None:
            parent = await self._folders.get(folder.parent_id)
            if parent is None or parent.in_trash:
                folder.parent_id = None
        await self._folders.restore_subtree(folder, datetime.now(UTC))
        await self._uow.commit()
        folder.trashed_at = None
        return folder

    async def listing_scope(
        self, actor: Principal, folder_id: uuid.UUID | None, owner_id: uuid.UUID | None
    ) -> tuple[uuid.UUID, Folder | None]:
        """Whose root (or which folder) a children listing shows: ``(owner_id, folder)``."""
        actor = user_of(actor)
        if folder_id is None:
            owner_id = owner_id or actor.user_id
            require(can_see_owner(actor, owner_id), "media:read:any")
            return owner_id, None
        folder = await visible_folder(self._folders, actor, folder_id)
        await self._uow.rollback()
        return folder.owner_id, folder

    async def children(
        self, actor: Principal, folder_id: uuid.UUID | None, owner_id: uuid.UUID | None, order: ChildOrder
    ) -> Children:
        """Sub-folders first, then media: the sub-folders of this page, and where the page's media start."""
        owner_id, folder = await self.listing_scope(actor, folder_id, owner_id)
        folders, folder_total = await self._folders.children(
            owner_id, folder_id, order.sort, order.descending, order.offset, order.limit
        )
        await self._uow.rollback()
        return Children.window(owner_id, folder, folders, folder_total, order)

    async def _writable(self, actor: Principal, folder_id: uuid.UUID, *, lock: bool = True) -> Folder:
        folder = await visible_folder(self._folders, actor, folder_id, lock=lock)
        require(can_write_owned(actor, folder.owner_id), MEDIA_WRITE)
        return folder

    async def _deletable(self, actor: Principal, folder_id: uuid.UUID) -> Folder:
        folder = await visible_folder(self._folders, actor, folder_id, include_trash=True, lock=True)
        require(can_delete_owned(actor, folder.owner_id), MEDIA_DELETE)
        return folder
