"""Who may do what with a media. The codes are main_service's catalogue, repeated here (services share no code).

Reading: public media are readable by anyone, even without a token; private ones by their owner (with
media:read) or with media:read:any. Anyone else is told the media does not exist, so existence does not leak.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from medias_service.domain.media import Media

MEDIA_READ = "media:read"
MEDIA_WRITE = "media:write"
MEDIA_DELETE = "media:delete"
MEDIA_READ_ANY = "media:read:any"
MEDIA_WRITE_ANY = "media:write:any"
MEDIA_DELETE_ANY = "media:delete:any"


class Actor(Protocol):
    """Who acts, as the rules need it (qhitz_shared's Principal fits)."""

    @property
    def is_service(self) -> bool: ...

    @property
    def user_id(self) -> uuid.UUID: ...

    def has(self, permission: str) -> bool: ...


class Readable(Protocol):
    """What the read rule looks at: the domain's Media, or a read model answering a hot read path."""

    @property
    def owner_id(self) -> uuid.UUID: ...

    @property
    def is_public(self) -> bool: ...

    @property
    def in_trash(self) -> bool: ...


def _owner_id(actor: Actor | None) -> uuid.UUID | None:
    if actor is None or actor.is_service:
        return None
    try:
        return actor.user_id
    except ValueError:
        return None


def _may(actor: Actor | None, media: Readable, own: str, anyone: str) -> bool:
    return _may_owned(actor, media.owner_id, own, anyone)


def _may_owned(actor: Actor | None, owner_id: uuid.UUID, own: str, anyone: str) -> bool:
    if actor is None:
        return False
    if actor.has(anyone):
        return True
    return _owner_id(actor) == owner_id and actor.has(own)


def can_read(actor: Actor | None, media: Readable) -> bool:
    if media.is_public and not media.in_trash:
        return True
    return _may(actor, media, MEDIA_READ, MEDIA_READ_ANY)


def can_write(actor: Actor | None, media: Media) -> bool:
    return _may(actor, media, MEDIA_WRITE, MEDIA_WRITE_ANY)


def can_delete(actor: Actor | None, media: Media) -> bool:
    return _may(actor, media, MEDIA_DELETE, MEDIA_DELETE_ANY)


def can_write_owned(actor: Actor | None, owner_id: uuid.UUID) -> bool:
    """Changing what belongs to ``owner_id`` and is not a media (folders, share links)."""
    return _may_owned(actor, owner_id, MEDIA_WRITE, MEDIA_WRITE_ANY)


def can_delete_owned(actor: Actor | None, owner_id: uuid.UUID) -> bool:
    return _may_owned(actor, owner_id, MEDIA_DELETE, MEDIA_DELETE_ANY)


def can_see_owner(actor: Actor, owner_id: uuid.UUID) -> bool:
    """Listing someone's library (or trash, or stats) needs media:read:any unless it is your own."""
    return _may_owned(actor, owner_id, MEDIA_READ, MEDIA_READ_ANY)
