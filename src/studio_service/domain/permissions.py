"""Who may do what in the studio. The codes are main_service's catalogue, repeated here (services share no code).

Projects, jobs and credits belong to one user. The owner (with studio:use) works on their own; studio:read:any
reads anyone's, studio:write:any edits, archives and cancels anyone's; credits:adjust grants or takes credits.
Anyone else is told a project or job does not exist, so existence does not leak.
"""

from __future__ import annotations

import uuid
from typing import Protocol

STUDIO_USE = "studio:use"
STUDIO_READ_ANY = "studio:read:any"
STUDIO_WRITE_ANY = "studio:write:any"
CREDITS_ADJUST = "credits:adjust"


class Actor(Protocol):
    """Who acts, as the rules need it (qhitz_shared's Principal fits)."""

    @property
    def user_id(self) -> uuid.UUID: ...

    def has(self, permission: str) -> bool: ...


def can_read(actor: Actor, owner_id: uuid.UUID) -> bool:
    return actor.has(STUDIO_READ_ANY) or (actor.user_id == owner_id and actor.has(STUDIO_USE))


def can_write(actor: Actor, owner_id: uuid.UUID) -> bool:
    return actor.has(STUDIO_WRITE_ANY) or (actor.user_id == owner_id and actor.has(STUDIO_USE))


def scope_owner(actor: Actor, owner_id: uuid.UUID | None) -> uuid.UUID | None:
    """The owner a list is limited to: the caller's own, or ``owner_id`` (None: everyone's) with studio:read:any.
    None is returned only to readers of anyone's."""
    if actor.has(STUDIO_READ_ANY):
        return owner_id
    return actor.user_id
