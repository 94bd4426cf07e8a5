"""Loading a media the way the caller is allowed to see it."""

from __future__ import annotations

import uuid

from medias_service.domain.errors import MediaNotFound
from medias_service.domain.media import Media
from medias_service.domain.permissions import can_read
from medias_service.ports.repositories import MediaRepository
from qhitz_shared.errors import AuthenticationError, InvalidTokenError, PermissionDeniedError
from qhitz_shared.principal import Principal


async def visible_media(
    media: MediaRepository,
    actor: Principal | None,
    media_id: uuid.UUID,
    *,
    include_trash: bool = False,
    lock: bool = False,
) -> Media:
    """The media if the caller may read it; MediaNotFound otherwise, exactly as if it did not exist."""
    found = await media.get(media_id, lock=lock)
    if found is None or (found.in_trash and not include_trash) or not can_read(actor, found):
        raise MediaNotFound(f"No media with id {media_id}")
    return found


def require(allowed: bool, permission: str) -> None:
    """For a media the caller can see: missing rights are a plain 403 (its existence is no secret to them)."""
    if not allowed:
        raise PermissionDeniedError(f"Requires the permission {permission}", required=[permission])


def user_of(actor: Principal | None) -> Principal:
    """The caller as a user: a user token whose subject is a user id (anything else never reaches a use case)."""
    if actor is None or actor.is_service:
        raise AuthenticationError("A user token is required")
    try:
        actor.user_id  # noqa: B018 -- parses the subject
    except ValueError as exc:
        raise InvalidTokenError("The token subject is not a user id") from exc
    return actor
