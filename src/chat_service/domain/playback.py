"""The watch party: one playback state per group, and commands scheduled a little ahead so clients start together.

Every time is milliseconds: server wall-clock time (Unix epoch ms) for instants, media time for positions. A
state says "at server time ``at_ms`` the video is at ``position_ms``, running at ``rate`` unless ``paused``"; a
client that knows its offset to the server clock (time_sync) computes where the video is now.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from enum import StrEnum

from chat_service.domain.errors import GroupRoleRequired, InvalidChatInput
from chat_service.domain.groups import Member, PlaybackControl

MIN_LEAD_MS = 500
MAX_LEAD_MS = 5_000
MAX_POSITION_MS = 7 * 24 * 3_600_000  # a week of media time
MIN_RATE, MAX_RATE = 0.25, 4.0
MAX_ITEM_REF = 512


class ItemKind(StrEnum):
    MEDIA = "media"  # a medias_service media id the sharer can read
    SHARE = "share"  # a medias_service share link token: members need no access of their own


class Action(StrEnum):
    PLAY = "play"
    PAUSE = "pause"
    SEEK = "seek"
    SET_ITEM = "set_item"


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    ref: str


@dataclass(frozen=True)
class PlaybackState:
    item: Item
    position_ms: int
    paused: bool
    rate: float
    at_ms: int
    set_by: uuid.UUID
    version: int = 1

    def position_at(self, now_ms: int) -> int:
        """Where the media is at server time ``now_ms`` (never before ``position_ms`` while it has not started)."""
        if self.paused or now_ms <= self.at_ms:
            return self.position_ms
        return self.position_ms + round((now_ms - self.at_ms) * self.rate)


@dataclass(frozen=True)
class Command:
    action: Action
    position_ms: int | None = None
    rate: float | None = None
    item: Item | None = None

    def __post_init__(self) -> None:
        if self.position_ms is not None and not 0 <= self.position_ms <= MAX_POSITION_MS:
            raise InvalidChatInput(f"position_ms is 0 to {MAX_POSITION_MS}", field="position_ms")
        if self.rate is not None and not MIN_RATE <= self.rate <= MAX_RATE:
            raise InvalidChatInput(f"rate is {MIN_RATE} to {MAX_RATE}", field="rate")
        if self.action is Action.SEEK and self.position_ms is None:
            raise InvalidChatInput("seek needs position_ms", field="position_ms")
        if self.action is Action.SET_ITEM and self.item is None:
            raise InvalidChatInput("set_item needs an item", field="item")
        if self.item is not None and not 0 < len(self.item.ref) <= MAX_ITEM_REF:
            raise InvalidChatInput(f"item.ref is 1 to {MAX_ITEM_REF} characters", field="item")


def lead_ms(highest_recent_ping_ms: float) -> int:
    """How far ahead a command is scheduled: at least 500 ms, or twice the slowest member's round trip."""
    return min(MAX_LEAD_MS, max(MIN_LEAD_MS, round(2 * highest_recent_ping_ms)))


def may_control(member: Member, state: PlaybackState | None, control: PlaybackControl) -> bool:
    return (
        member.role.manages
        or control is PlaybackControl.EVERYONE
        or (state is not None and state.set_by == member.user_id)
    )


def apply(
    state: PlaybackState | None, command: Command, actor: Member, control: PlaybackControl, at_ms: int
) -> PlaybackState:
    """The state ``command`` leads to, taking effect at server time ``at_ms``. Raises GroupRoleRequired when
    ``actor`` may not control playback, InvalidChatInput for play/pause/seek with nothing set."""
    if not may_control(actor, state, control):
        raise GroupRoleRequired("Only group admins and whoever set the item control playback here")
    if command.action is Action.SET_ITEM:
        assert command.item is not None
        return PlaybackState(
            item=command.item,
            position_ms=command.position_ms or 0,
            paused=True,
            rate=command.rate or 1.0,
            at_ms=at_ms,
            set_by=actor.user_id,
            version=state.version + 1 if state else 1,
        )
    if state is None:
        raise InvalidChatInput("Nothing is set to play: send set_item first", field="action")
    position = command.position_ms if command.position_ms is not None else state.position_at(at_ms)
    paused = {Action.PLAY: False, Action.PAUSE: True}.get(command.action, state.paused)
    return replace(
        state,
        position_ms=position,
        paused=paused,
        rate=command.rate or state.rate,
        at_ms=at_ms,
        version=state.version + 1,
    )
