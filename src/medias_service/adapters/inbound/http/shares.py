"""The owner's share links: POST/GET /api/v1/shares, PATCH/DELETE /api/v1/shares/{id}."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from dishka import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from medias_service.domain.permissions import MEDIA_READ, MEDIA_WRITE
from medias_service.domain.shares import MAX_PASSWORD, ShareChanges, ShareLink
from medias_service.services.shares import ShareService
from qhitz_shared.http.inputs import INT32_MAX, AwareDateTime, Opaque
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission, require_user

SHARES = "/api/v1/shares"
PUBLIC = "/api/v1/s"
Password = Opaque(MAX_PASSWORD, min_length=1)
DownloadLimit = Annotated[int, msgspec.Meta(ge=1, le=INT32_MAX)]


class ShareSettings(msgspec.Struct, frozen=True):
    """MEDIAS_SHARE_*: public_url prefixes the URL of a new link (empty: the link is a path, /api/v1/s/<token>);
    access_secret signs the short-lived access tokens of unlocked password-protected links (access_ttl_seconds);
    password_attempts limits password guesses per link and client address (`limits` notation; empty: no limit),
    counted in Redis (REDIS_URL) when set, else in each process."""

    public_url: str = ""
    access_secret: str = "dev-share-access-secret-change-me"
    access_ttl_seconds: int = 3600
    password_attempts: str = "10/minute"
    key_prefix: str = "qhitz-medias"


class ShareIn(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of media_id and folder_id."""

    media_id: uuid.UUID | None = None
    folder_id: uuid.UUID | None = None
    password: Password | None = None
    expires_at: AwareDateTime | None = None
    max_downloads: DownloadLimit | None = None
    allow_download: bool = True


class SharePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; null removes the password, the expiry or the limit."""

    password: Password | msgspec.UnsetType | None = msgspec.UNSET
    expires_at: AwareDateTime | msgspec.UnsetType | None = msgspec.UNSET
    max_downloads: DownloadLimit | msgspec.UnsetType | None = msgspec.UNSET
    allow_download: bool | msgspec.UnsetType = msgspec.UNSET


class ShareOut(msgspec.Struct):
    """A link as its owner sees it: ``state`` is active, expired, revoked or exhausted; ``url`` and ``token`` are
    only in the answer to its creation (the token is not stored, only its hash)."""

    id: uuid.UUID
    owner_id: uuid.UUID
    media_id: uuid.UUID | None
    folder_id: uuid.UUID | None
    state: str
    has_password: bool
    expires_at: datetime | None
    max_downloads: int | None
    allow_download: bool
    download_count: int
    access_count: int
    last_access_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    url: str | None = None
    token: str | None = None

    @classmethod
    def of(cls, link: ShareLink, *, token: str | None = None, base: str = "") -> ShareOut:
        return cls(
            id=link.id,
            owner_id=link.owner_id,
            media_id=link.media_id,
            folder_id=link.folder_id,
            state=str(link.state(datetime.now(UTC))),
            has_password=link.password_hash is not None,
            expires_at=link.expires_at,
            max_downloads=link.max_downloads,
            allow_download=link.allow_download,
            download_count=link.download_count,
            access_count=link.access_count,
            last_access_at=link.last_access_at,
            revoked_at=link.revoked_at,
            created_at=link.created_at,
            updated_at=link.updated_at,
            url=f"{base.rstrip('/')}{PUBLIC}/{token}" if token else None,
            token=token,
        )


def _changes(data: SharePatch) -> ShareChanges:
    unset = msgspec.UNSET
    return ShareChanges(
        set_password=data.password is not unset,
        password=None if data.password is unset else data.password,  # type: ignore[arg-type]
        set_expires_at=data.expires_at is not unset,
        expires_at=None if data.expires_at is unset else data.expires_at,  # type: ignore[arg-type]
        set_max_downloads=data.max_downloads is not unset,
        max_downloads=None if data.max_downloads is unset else data.max_downloads,  # type: ignore[arg-type]
        allow_download=None if data.allow_download is unset else data.allow_download,  # type: ignore[arg-type]
    )


class ShareController(Controller):
    path = SHARES
    tags = ["shares"]

    @post(
        "/",
        guards=[require_permission(MEDIA_WRITE)],
        summary="Share a media or a folder through a link (the token is shown once)",
        responses=problems(403, 404),
    )
    async def create_share(
        self,
        data: JSONBody[ShareIn],
        principal: Caller,
        shares: FromDishka[ShareService],
        settings: FromDishka[ShareSettings],
    ) -> ShareOut:
        link, token = await shares.create(
            principal,
            media_id=data.media_id,
            folder_id=data.folder_id,
            password=data.password,
            expires_at=data.expires_at,
            max_downloads=data.max_downloads,
            allow_download=data.allow_download,
        )
        return ShareOut.of(link, token=token, base=settings.public_url)

    @get("/", guards=[require_permission(MEDIA_READ)], summary="Your links, newest first, with state and counters")
    async def list_shares(
        self,
        principal: Caller,
        shares: FromDishka[ShareService],
        page_request: Paging,
        owner_id: Annotated[uuid.UUID | None, QueryParameter(description="another owner (media:read:any)")] = None,
    ) -> Page[ShareOut]:
        links, total = await shares.list(principal, owner_id, page_request)
        return page_of([ShareOut.of(link) for link in links], total, page_request)

    @patch(
        "/{share_id:uuid}",
        guards=[require_user],
        summary="Change a link's password, expiry, download limit",
        responses=problems(403),
    )
    async def patch_share(
        self,
        share_id: FromPath[uuid.UUID],
        data: JSONBody[SharePatch],
        principal: Caller,
        shares: FromDishka[ShareService],
    ) -> ShareOut:
        return ShareOut.of(await shares.update(principal, share_id, _changes(data)))

    @delete("/{share_id:uuid}", guards=[require_user], summary="Revoke a link", responses=problems(403))
    async def revoke_share(
        self, share_id: FromPath[uuid.UUID], principal: Caller, shares: FromDishka[ShareService]
    ) -> None:
        await shares.revoke(principal, share_id)
