"""The domain's rules, as plain Python: roles, the last owner, text, pages and the watch party's arithmetic."""

from __future__ import annotations

import uuid

import pytest

from chat_service.domain.errors import GroupRoleRequired, InvalidChatInput, LastOwner
from chat_service.domain.groups import Member, PlaybackControl, Role, check_removal, check_role_change, group_name
from chat_service.domain.messages import Page, client_message_id, message_text
from chat_service.domain.playback import (
    Action,
    Command,
    Item,
    ItemKind,
    PlaybackState,
    apply,
    lead_ms,
    may_control,
)

GROUP = uuid.uuid4()


def member(role: Role) -> Member:
    return Member(GROUP, uuid.uuid4(), role)


def test_admins_cannot_touch_owners_and_the_last_owner_stays() -> None:
    owner, admin, plain = member(Role.OWNER), member(Role.ADMIN), member(Role.MEMBER)
    check_removal(admin, plain, owners=1)
    check_removal(plain, plain, owners=1)  # leaving
    with pytest.raises(GroupRoleRequired):
        check_removal(plain, admin, owners=1)
    with pytest.raises(GroupRoleRequired):
        check_removal(admin, owner, owners=2)
    with pytest.raises(LastOwner):
        check_removal(owner, owner, owners=1)
    check_removal(owner, owner, owners=2)
    with pytest.raises(GroupRoleRequired):
        check_role_change(admin, plain, Role.OWNER, owners=1)
    check_role_change(admin, plain, Role.ADMIN, owners=1)
    check_role_change(owner, plain, Role.OWNER, owners=1)  # handing over
    with pytest.raises(LastOwner):
        check_role_change(owner, owner, Role.MEMBER, owners=1)


def test_text_is_nfc_bounded_and_never_empty() -> None:
    assert message_text("  cafe\u0301\n  ") == "caf\u00e9"
    assert len(message_text("x" * 4000)) == 4000
    for bad in ("", "   ", "x" * 4001, "bell\x07"):
        with pytest.raises(InvalidChatInput):
            message_text(bad)
    assert group_name("  Movie   night ") == "Movie night"
    with pytest.raises(InvalidChatInput):
        client_message_id("spaces are fine but é is not")
    assert client_message_id("a-1_B:2") == "a-1_B:2"


def test_pages_are_bounded_and_ascending_only_after_a_sequence() -> None:
    assert Page(after_seq=3).ascending and not Page(before_seq=3).ascending
    assert not Page(after_seq=1, before_seq=9).ascending
    with pytest.raises(InvalidChatInput):
        Page(limit=101)


def test_commands_are_scheduled_at_least_500_ms_or_twice_the_slowest_round_trip() -> None:
    assert lead_ms(0) == 500
    assert lead_ms(249) == 500
    assert lead_ms(400) == 800
    assert lead_ms(60_000) == 5_000


def test_the_position_runs_from_the_instant_a_state_takes_effect() -> None:
    state = PlaybackState(Item(ItemKind.MEDIA, "m"), 10_000, False, 1.5, at_ms=1_000, set_by=uuid.uuid4())
    assert state.position_at(500) == 10_000  # not started yet
    assert state.position_at(3_000) == 13_000
    paused = PlaybackState(Item(ItemKind.MEDIA, "m"), 10_000, True, 1.0, at_ms=1_000, set_by=uuid.uuid4())
    assert paused.position_at(9_999) == 10_000


def test_play_pause_and_seek_change_the_state_at_the_scheduled_instant() -> None:
    owner, plain = member(Role.OWNER), member(Role.MEMBER)
    control = PlaybackControl.ADMINS
    item = Item(ItemKind.SHARE, "token")
    state = apply(None, Command(Action.SET_ITEM, item=item), owner, control, at_ms=1_000)
    assert (state.paused, state.position_ms, state.set_by, state.version) == (True, 0, owner.user_id, 1)
    playing = apply(state, Command(Action.PLAY), owner, control, at_ms=2_000)
    assert (playing.paused, playing.position_ms, playing.at_ms) == (False, 0, 2_000)
    paused = apply(playing, Command(Action.PAUSE), owner, control, at_ms=7_000)
    assert (paused.paused, paused.position_ms, paused.version) == (True, 5_000, 3)
    sought = apply(paused, Command(Action.SEEK, position_ms=60_000), owner, control, at_ms=8_000)
    assert (sought.paused, sought.position_ms) == (True, 60_000)
    with pytest.raises(GroupRoleRequired):
        apply(sought, Command(Action.PLAY), plain, control, at_ms=9_000)
    assert apply(sought, Command(Action.PLAY), plain, PlaybackControl.EVERYONE, at_ms=9_000).paused is False
    with pytest.raises(InvalidChatInput):
        apply(None, Command(Action.PLAY), owner, control, at_ms=0)


def test_whoever_set_the_item_controls_it() -> None:
    setter = member(Role.MEMBER)
    state = PlaybackState(Item(ItemKind.MEDIA, "m"), 0, True, 1.0, at_ms=0, set_by=setter.user_id)
    assert may_control(setter, state, PlaybackControl.ADMINS)
    assert not may_control(member(Role.MEMBER), state, PlaybackControl.ADMINS)
    with pytest.raises(InvalidChatInput):
        Command(Action.SEEK)
    with pytest.raises(InvalidChatInput):
        Command(Action.PLAY, rate=8.0)
