"""The revocation event and the catch-up page: the wire contract between main_service and its subscribers."""

from __future__ import annotations

import msgspec


class RevocationEvent(msgspec.Struct, frozen=True, omit_defaults=True):
    """One change to what a user's tokens are worth. ``seq`` is the log id (increasing in commit order).

    A user event carries ``token_version`` (tokens with a smaller ``ver`` are revoked) and ``active`` (false:
    every token of the user is refused); a session event carries ``session_id`` (tokens with that ``sid`` are
    refused). ``at`` is when it happened, in Unix seconds."""

    seq: int
    user_id: str
    at: float
    token_version: int | None = None
    active: bool | None = None
    session_id: str | None = None


class RevocationPage(msgspec.Struct, frozen=True):
    """``GET /internal/v1/revocations?since=&limit=``: events with seq > since still inside the retention window,
    oldest first. ``cursor`` is the seq to ask from next; ``more`` says a next page is waiting; ``head`` is the
    newest seq in the log (a subscriber whose cursor is beyond it reloads from 0: the log was reset); ``stream``
    where main publishes (``amqp:<exchange>``, ``redis:<channel>`` or ``poll``): a subscriber listening elsewhere
    would hear nothing, so it reports itself catching up and keeps asking the log instead."""

    events: list[RevocationEvent]
    cursor: int
    more: bool
    head: int
    stream: str = ""


def encode(event: RevocationEvent) -> bytes:
    return msgspec.json.encode(event)


def decode(body: bytes) -> RevocationEvent:
    """Raises msgspec.DecodeError / ValidationError on anything but an event."""
    return msgspec.json.decode(body, type=RevocationEvent)
