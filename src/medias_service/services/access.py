"""Loading a media the way the caller is allowed to see it."""

from __future__ import annotations

import dataclasses
import uuid
from typing import TypeVar

from medias_service.domain.errors import MediaNotFound
from medias_service.domain.library import MediaFilter
from medias_service.domain.media import Media
from medias_service.domain.permissions import MEDIA_READ_ANY, Readable, can_read, can_see_owner
from medias_service.domain.tags import normalize_tags
from medias_service.ports.repositories import MediaRepository
from qhitz_shared.errors import PermissionDeniedError
from qhitz_shared.principal import Principal, user_of

__all__ = ["library_scope", "readable", "require", "user_of", "visible_media"]


async def visible_media(
    media: MediaRepository,
    actor: Principal | None,
    media_id: uuid.UUID,
    *,
    include_trash: bool = False,
    lock: bool = False,
) -> Media:
    """The media if the caller may read it; MediaNotFound otherwise, exactly as if it did not exist."""
    return readable(actor, await media.get(media_id, lock=lock), media_id, include_trash=include_trash)


ReadableT = TypeVar("ReadableT", bound=Readable)


def readable(
    actor: Principal | None, found: ReadableT | None, media_id: uuid.UUID, *, include_trash: bool = False
) -> ReadableT:
    """``found`` (a Media or a read model of one) if the caller may read it; MediaNotFound otherwise."""
    if found is None or (found.in_trash and not include_trash) or not can_read(actor, found):
        raise MediaNotFound(f"No media with id {media_id}")
    return found


def library_scope(actor: Principal | None, filters: MediaFilter) -> MediaFilter:
    """``filters`` for the library listed: the caller's own (owner_id None), or anyone's with media:read:any;
    tags normalized. Raises AuthenticationError / PermissionDeniedError."""
    actor = user_of(actor)
    owner_id = filters.owner_id or actor.user_id
    require(can_see_owner(actor, owner_id), MEDIA_READ_ANY)
    return dataclasses.replace(filters, owner_id=owner_id, tags=tuple(normalize_tags(filters.tags)))


def require(allowed: bool, permission: str) -> None:
    """For a media the caller can see: missing rights are a plain 403 (its existence is no secret to them)."""
    if not allowed:
        raise PermissionDeniedError(f"Requires the permission {permission}", required=[permission])
