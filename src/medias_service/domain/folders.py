"""Folders of an owner's drive: the naming rule, the tree's read models and listing orders."""

from __future__ import annotations

import enum
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from medias_service.domain.errors import InvalidFolderName
from qhitz_shared.text import nfc

MAX_FOLDER_NAME = 255


def folder_name(value: str) -> tuple[str, str]:
    """``(name, key)``: the name in NFC, trimmed, 1 to 255 code points, without ``/`` or control characters and
    not ``.`` or ``..``; the key is its case-folded form, unique among siblings (``Photos`` and ``PHOTOS`` clash)."""
    name = nfc(value).strip()
    if not 1 <= len(name) <= MAX_FOLDER_NAME:
        raise InvalidFolderName(f"A folder name has 1 to {MAX_FOLDER_NAME} characters", field="name")
    if "/" in name or name in (".", ".."):
        raise InvalidFolderName("A folder name cannot contain '/' or be '.' or '..'", field="name")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise InvalidFolderName("A folder name cannot contain control characters", field="name")
    return name, nfc(name.casefold())


@dataclass(slots=True)
class Folder:
    id: uuid.UUID
    owner_id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    trashed_at: datetime | None = None

    @property
    def in_trash(self) -> bool:
        return self.trashed_at is not None

    @property
    def is_public(self) -> bool:
        """Folders are never public (for the shared read rule); share links give access instead."""
        return False


@dataclass(frozen=True, slots=True)
class SubtreeTotals:
    """What a folder holds below it, not counting trash: sub-folders at any depth, media and their bytes."""

    folders: int = 0
    media: int = 0
    bytes: int = 0


@dataclass(frozen=True, slots=True)
class FolderDetails:
    folder: Folder
    breadcrumbs: list[Folder]
    """From the root's first folder down to the folder's parent."""
    totals: SubtreeTotals


@dataclass(frozen=True, slots=True)
class FolderFile:
    """A media below a folder as a file: the folder names leading to it (from just below that folder), its file
    name (the original one, else its title) and its current content."""

    path: tuple[str, ...]
    filename: str
    storage_key: str
    size: int
    sha256: str
    modified: datetime | None


class ChildSort(enum.StrEnum):
    NAME = "name"
    UPDATED_AT = "updated_at"
    SIZE = "size"


@dataclass(frozen=True, slots=True)
class ChildOrder:
    """How a folder's children are listed: sub-folders first, then media, each in this order; a window of the
    whole list (``offset``, ``limit``)."""

    sort: ChildSort = ChildSort.NAME
    descending: bool = False
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class Children:
    """One window of a folder's children: its sub-folders in the window, the number of sub-folders, and the
    window of media that follows them (``media_offset``, ``media_limit``)."""

    owner_id: uuid.UUID
    folder: Folder | None
    folders: list[Folder]
    folder_total: int
    media_offset: int
    media_limit: int

    @classmethod
    def window(
        cls, owner_id: uuid.UUID, folder: Folder | None, folders: list[Folder], folder_total: int, order: ChildOrder
    ) -> Children:
        """The media window that follows ``folders`` (this page's sub-folders, ``folder_total`` in all)."""
        offset = max(order.offset - folder_total, 0)
        return cls(owner_id, folder, folders, folder_total, offset, order.limit - len(folders))
