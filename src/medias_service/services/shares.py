"""Share links, the owner's side: create (the token is shown once), list with state and counters, change, revoke.

A link shares one media or one folder the caller may change (media:write, or media:write:any for others'); its
token has 256 bits of randomness and only its sha256 is stored; a password is stored as an argon2id hash.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from medias_service.domain.errors import InvalidShare, ShareNotFound
from medias_service.domain.permissions import MEDIA_READ_ANY, MEDIA_WRITE, can_see_owner, can_write_owned
from medias_service.domain.shares import ShareChanges, ShareLink, check_password, check_settings, new_token, token_hash
from medias_service.ports.folders import FolderRepository
from medias_service.ports.repositories import MediaRepository
from medias_service.ports.shares import PasswordHasher, ShareRepository
from medias_service.services.access import require, user_of, visible_media
from medias_service.services.folders import visible_folder
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal


class ShareService:
    def __init__(
        self,
        shares: ShareRepository,
        media: MediaRepository,
        folders: FolderRepository,
        hasher: PasswordHasher,
        uow: UnitOfWork,
    ) -> None:
        self._shares = shares
        self._media = media
        self._folders = folders
        self._hasher = hasher
        self._uow = uow

    async def create(
        self,
        actor: Principal,
        *,
        media_id: uuid.UUID | None,
        folder_id: uuid.UUID | None,
        password: str | None,
        expires_at: datetime | None,
        max_downloads: int | None,
        allow_download: bool,
    ) -> tuple[ShareLink, str]:
        """The new link and its token (never stored, never shown again). InvalidShare, MediaNotFound,
        FolderNotFound."""
        actor = user_of(actor)
        if (media_id is None) == (folder_id is None):
            raise InvalidShare("A link shares either media_id or folder_id", field="media_id")
        check_settings(expires_at, max_downloads, datetime.now(UTC))
        if password is not None:
            check_password(password)
        if media_id is not None:
            owner_id = (await visible_media(self._media, actor, media_id)).owner_id
        else:
            assert folder_id is not None
            owner_id = (await visible_folder(self._folders, actor, folder_id)).owner_id
        require(can_write_owned(actor, owner_id), MEDIA_WRITE)
        await self._uow.rollback()  # no transaction held while the password is hashed
        password_hash = await self._hasher.hash(password) if password is not None else None
        link = ShareLink(
            id=new_id(),
            owner_id=owner_id,
            media_id=media_id,
            folder_id=folder_id,
            password_hash=password_hash,
            expires_at=expires_at,
            max_downloads=max_downloads,
            allow_download=allow_download,
        )
        token = new_token()
        await self._shares.add(link, token_hash(token))
        await self._uow.commit()
        return link, token

    async def list(
        self, actor: Principal, owner_id: uuid.UUID | None, page: PageRequest
    ) -> tuple[list[ShareLink], int]:
        actor = user_of(actor)
        owner_id = owner_id or actor.user_id
        require(can_see_owner(actor, owner_id), MEDIA_READ_ANY)
        try:
            return await self._shares.list(owner_id, page)
        finally:
            await self._uow.rollback()

    async def update(self, actor: Principal, link_id: uuid.UUID, changes: ShareChanges) -> ShareLink:
        link = await self._changeable(user_of(actor), link_id)
        check_settings(
            changes.expires_at if changes.set_expires_at else None,
            changes.max_downloads if changes.set_max_downloads else None,
            datetime.now(UTC),
        )
        if changes.set_password:
            password = changes.password
            link.password_hash = await self._hasher.hash(check_password(password)) if password is not None else None
        if changes.set_expires_at:
            link.expires_at = changes.expires_at
        if changes.set_max_downloads:
            link.max_downloads = changes.max_downloads
        if changes.allow_download is not None:
            link.allow_download = changes.allow_download
        await self._shares.save(link)
        await self._uow.commit()
        return link

    async def revoke(self, actor: Principal, link_id: uuid.UUID) -> None:
        link = await self._changeable(user_of(actor), link_id)
        if link.revoked_at is None:
            link.revoked_at = datetime.now(UTC)
            await self._shares.save(link)
        await self._uow.commit()

    async def _changeable(self, actor: Principal, link_id: uuid.UUID) -> ShareLink:
        link = await self._shares.get(link_id, lock=True)
        if link is None or not can_see_owner(actor, link.owner_id):
            raise ShareNotFound(f"No share link with id {link_id}")
        require(can_write_owned(actor, link.owner_id), MEDIA_WRITE)
        return link
