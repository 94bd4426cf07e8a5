"""Share links, the public side: anyone with a link's token, without an account.

Every failure to find what a link shares (unknown token, expired, revoked, exhausted, its media or folder in trash
or gone) raises the same ShareNotFound. A password-protected link needs its password (``X-Share-Password``) or
an access token from ``unlock``; password guesses are counted per link and client address *before* any hash is
computed. Every successful open is counted; downloads are claimed atomically before bytes are sent and given
back when the body does not complete.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from medias_service.domain.errors import (
    ShareDownloadNotAllowed,
    ShareNotFound,
    SharePasswordRequired,
    SharePasswordWrong,
)
from medias_service.domain.folders import ChildOrder, Children, Folder, FolderFile
from medias_service.domain.media import StoredContent
from medias_service.domain.shares import MAX_TOKEN_LENGTH, ShareLink, ShareState, ShareTarget, token_hash
from medias_service.ports.folders import FolderRepository
from medias_service.ports.repositories import MediaRepository
from medias_service.ports.shares import (
    AttemptLimiter,
    PasswordHasher,
    ShareAccessTokens,
    ShareCounters,
    ShareRepository,
)
from qhitz_shared.ports import UnitOfWork

PASSWORD_RULE = "share_password"
MAX_PATH_DEPTH = 64


@dataclass(frozen=True, slots=True)
class ShareProof:
    """What a client sent to open a protected link, and where it comes from (for the guess limit)."""

    client: str
    password: str | None = None
    access_token: str | None = None


class ShareAccess:
    def __init__(
        self,
        shares: ShareRepository,
        media: MediaRepository,
        folders: FolderRepository,
        counters: ShareCounters,
        hasher: PasswordHasher,
        limiter: AttemptLimiter,
        tokens: ShareAccessTokens,
        uow: UnitOfWork,
    ) -> None:
        self._shares = shares
        self._media = media
        self._folders = folders
        self._counters = counters
        self._hasher = hasher
        self._limiter = limiter
        self._tokens = tokens
        self._uow = uow

    async def open(self, token: str, proof: ShareProof) -> ShareTarget:
        """The link's target once the link is active and its password proved; counts the access."""
        now = datetime.now(UTC)
        link = await self._shares.by_token_hash(token_hash(token)) if len(token) <= MAX_TOKEN_LENGTH else None
        if link is None or link.state(now) is not ShareState.ACTIVE:
            raise ShareNotFound("No such share link")
        name = await self._target_name(link.media_id, link.folder_id)
        await self._uow.rollback()  # nothing held while a password is checked or bytes are sent
        if link.password_hash is not None:
            await self._prove(link, link.password_hash, proof)
        await self._counters.record_access(link.id, now)
        return ShareTarget(link=link, name=name, media_id=link.media_id, folder_id=link.folder_id)

    async def unlock(self, token: str, proof: ShareProof) -> tuple[str, int]:
        """Exchange the password for a short-lived access token: (token, seconds)."""
        target = await self.open(token, ShareProof(client=proof.client, password=proof.password or ""))
        return self._tokens.issue(target.link)

    async def _prove(self, link: ShareLink, password_hash: str, proof: ShareProof) -> None:
        if proof.access_token and self._tokens.valid(proof.access_token, link):
            return
        if proof.password is None:
            raise SharePasswordRequired("This link is protected by a password")
        await self._limiter.hit(PASSWORD_RULE, f"{link.id} {proof.client}")  # before any hash is computed
        if not await self._hasher.verify(password_hash, proof.password):
            raise SharePasswordWrong("The password is not right")

    async def _target_name(self, media_id: uuid.UUID | None, folder_id: uuid.UUID | None) -> str:
        if media_id is not None:
            media = await self._media.get(media_id)
            if media is not None and not media.in_trash:
                return media.title
        elif folder_id is not None:
            folder = await self._folders.get(folder_id)
            if folder is not None and not folder.in_trash:
                return folder.name
        raise ShareNotFound("No such share link")

    async def folder_at(self, target: ShareTarget, path: str | None) -> tuple[Folder, list[Folder]]:
        """The shared folder, or the sub-folder at ``path`` (names separated by ``/``, matched case-insensitively),
        with the folders leading to it from the shared one (which is first). ShareNotFound when absent."""
        if target.folder_id is None:
            raise ShareNotFound("This link shares a single file")
        try:
            root = await self._folders.get(target.folder_id)
            assert root is not None
            chain = [root]
            for name in [part for part in (path or "").split("/") if part][:MAX_PATH_DEPTH]:
                child = await self._folders.child_named(chain[-1].id, name)
                if child is None:
                    raise ShareNotFound(f"No folder {name!r} here")
                chain.append(child)
            return chain[-1], chain
        finally:
            await self._uow.rollback()

    async def children(self, target: ShareTarget, folder: Folder, order: ChildOrder) -> Children:
        """A window of a shared folder's children (``folder`` from ``folder_at``): sub-folders first, then media."""
        try:
            folders, total = await self._folders.children(
                target.link.owner_id, folder.id, order.sort, order.descending, order.offset, order.limit
            )
        finally:
            await self._uow.rollback()
        return Children.window(target.link.owner_id, folder, folders, total, order)

    async def media_content(self, target: ShareTarget, media_id: uuid.UUID | None = None) -> StoredContent:
        """The shared media's current content, or (``media_id``) one inside the shared folder's subtree."""
        if not target.link.allow_download:
            raise ShareDownloadNotAllowed("The owner of this link did not allow downloads")
        try:
            wanted = target.media_id if media_id is None else media_id
            media = await self._media.get(wanted) if wanted is not None else None
            if (
                media is None
                or media.in_trash
                or media.current_version is None
                or media.owner_id != target.link.owner_id
            ):
                raise ShareNotFound("No such file here")
            if media_id is not None and not await self._inside(target, media.folder_id):
                raise ShareNotFound("No such file here")
            return media.current_version.content()
        finally:
            await self._uow.rollback()

    async def _inside(self, target: ShareTarget, folder_id: uuid.UUID | None) -> bool:
        if target.folder_id is None or folder_id is None:
            return False
        chain = await self._folders.ancestors(folder_id)
        return any(folder.id == target.folder_id for folder in chain) and not any(f.in_trash for f in chain)

    async def files(self, target: ShareTarget) -> list[FolderFile]:
        """What a ZIP of the link holds: the shared folder's files, or the shared media alone."""
        if not target.link.allow_download:
            raise ShareDownloadNotAllowed("The owner of this link did not allow downloads")
        if target.folder_id is None:
            content = await self.media_content(target)
            return [
                FolderFile(
                    (),
                    content.filename or target.name,
                    content.storage_key,
                    content.size,
                    content.sha256,
                    content.last_modified,
                )
            ]
        try:
            return await self._folders.files_below(target.folder_id)
        finally:
            await self._uow.rollback()

    async def claim_download(self, target: ShareTarget) -> None:
        """Count one download now; ShareNotFound when the link has none left (or ended meanwhile)."""
        if not await self._counters.claim_download(target.link.id, datetime.now(UTC)):
            raise ShareNotFound("No such share link")

    async def give_back_download(self, target: ShareTarget) -> None:
        await self._counters.give_back_download(target.link.id)
