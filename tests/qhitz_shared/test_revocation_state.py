"""DenyState: what each event refuses, in any order, and for how long."""

from __future__ import annotations

import uuid

import pytest

from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.principal import Principal
from qhitz_shared.revocation.events import RevocationEvent, decode, encode
from qhitz_shared.revocation.state import DenyState, SessionEndedError

USER = str(uuid.uuid4())


def token(ver: int = 0, sid: str | None = None, subject: str = USER) -> Principal:
    return Principal(subject=subject, token_version=ver, session_id=sid)


def test_a_version_bump_refuses_older_tokens_only() -> None:
    state = DenyState(960)
    state.apply([RevocationEvent(seq=1, user_id=USER, at=100.0, token_version=2, active=True)])
    with pytest.raises(TokenRevokedError) as refused:
        state.check(token(ver=1))
    assert refused.value.code == "token_revoked"
    state.check(token(ver=2))
    state.check(token(ver=0, subject=str(uuid.uuid4())))  # other users are untouched


def test_suspension_refuses_every_token_until_reactivation_whatever_the_order() -> None:
    suspended = RevocationEvent(seq=5, user_id=USER, at=100.0, token_version=1, active=False)
    reactivated = RevocationEvent(seq=6, user_id=USER, at=101.0, token_version=2, active=True)
    for order in ([suspended, reactivated], [reactivated, suspended]):
        state = DenyState(960)
        state.apply(order)
        state.check(token(ver=2))
        with pytest.raises(TokenRevokedError):
            state.check(token(ver=1))
    state = DenyState(960)
    state.apply([suspended, suspended])  # a replay changes nothing
    with pytest.raises(TokenRevokedError):
        state.check(token(ver=5))
    assert state.cursor == 5


def test_an_ended_session_refuses_its_tokens_with_session_revoked() -> None:
    state = DenyState(960)
    sid = str(uuid.uuid4())
    state.apply([RevocationEvent(seq=3, user_id=USER, at=100.0, session_id=sid)])
    with pytest.raises(SessionEndedError) as refused:
        state.check(token(sid=sid))
    assert refused.value.code == "session_revoked"
    state.check(token(sid=str(uuid.uuid4())))
    state.check(Principal(subject="service:x", service="x", session_id=sid))  # service tokens are not users'


def test_entries_are_forgotten_after_the_retention_window() -> None:
    now = [1000.0]
    state = DenyState(60, clock=lambda: now[0])
    sid = str(uuid.uuid4())
    state.apply(
        [
            RevocationEvent(seq=1, user_id=USER, at=990.0, token_version=3, active=False),
            RevocationEvent(seq=2, user_id=USER, at=990.0, session_id=sid),
        ]
    )
    assert state.prune() == 0
    now[0] = 1051.0  # every token these refused has expired by now
    assert state.prune() == 2
    assert state.size == (0, 0)


def test_events_round_trip_on_the_wire() -> None:
    event = RevocationEvent(seq=9, user_id=USER, at=1.5, session_id="s")
    assert decode(encode(event)) == event


def test_a_live_event_does_not_move_the_cursor() -> None:
    """Replica A's seq 10 may arrive before replica B's seq 9: the next catch-up must still ask for 9."""
    state = DenyState(960)
    state.apply([RevocationEvent(seq=10, user_id=USER, at=1.0, token_version=4)], from_log=False)
    assert state.cursor == 0
    with pytest.raises(TokenRevokedError):
        state.check(token(ver=3))


def test_each_refusal_tells_the_client_why() -> None:
    """The detail reaches the client in the problem+json body: suspended, revoked by version, or session ended."""
    sid = str(uuid.uuid4())
    state = DenyState(960)
    state.apply([RevocationEvent(seq=1, user_id=USER, at=100.0, token_version=2)])
    with pytest.raises(TokenRevokedError) as refused:
        state.check(token(ver=1))
    assert refused.value.detail == "The token has been revoked"
    state.apply([RevocationEvent(seq=2, user_id=USER, at=100.0, session_id=sid)])
    with pytest.raises(SessionEndedError) as ended:
        state.check(token(ver=2, sid=sid))
    assert ended.value.detail == "The session has ended"
    state.apply([RevocationEvent(seq=3, user_id=USER, at=100.0, active=False)])
    with pytest.raises(TokenRevokedError) as suspended:
        state.check(token(ver=2))
    assert suspended.value.detail == "The account is not active"


def test_an_event_naming_only_the_status_or_only_the_version_changes_only_that() -> None:
    """A suspension without a version refuses every token; a version bump or a reactivation without the other
    field keeps the account active and the tokens of the current version valid."""
    suspended = DenyState(960)
    suspended.apply([RevocationEvent(seq=1, user_id=USER, at=100.0, active=False)])
    for ver in (0, 7):
        with pytest.raises(TokenRevokedError):
            suspended.check(token(ver=ver))
    bumped = DenyState(960)
    bumped.apply([RevocationEvent(seq=1, user_id=USER, at=100.0, token_version=3)])
    bumped.check(token(ver=3))
    reactivated = DenyState(960)
    reactivated.apply([RevocationEvent(seq=1, user_id=USER, at=100.0, active=True)])
    reactivated.check(token(ver=0))


def test_a_late_older_event_does_not_shorten_how_long_a_session_stays_ended() -> None:
    now = [1000.0]
    state = DenyState(60, clock=lambda: now[0])
    sid = str(uuid.uuid4())
    state.apply([RevocationEvent(seq=2, user_id=USER, at=1000.0, session_id=sid)])
    state.apply([RevocationEvent(seq=1, user_id=USER, at=950.0, session_id=sid)], from_log=False)
    now[0] = 1020.0  # 70 s after the older event, 20 s after the newer one
    state.prune()
    with pytest.raises(SessionEndedError):
        state.check(token(sid=sid))


def test_an_entry_is_kept_for_the_whole_retention_window_and_forgotten_just_after() -> None:
    """A token refused at the event may live exactly retention seconds more (exp plus leeway is still valid)."""
    now = [1060.0]
    state = DenyState(60, clock=lambda: now[0])
    sid = str(uuid.uuid4())
    state.apply(
        [
            RevocationEvent(seq=1, user_id=USER, at=1000.0, active=False),
            RevocationEvent(seq=2, user_id=USER, at=1000.0, session_id=sid),
        ]
    )
    assert state.prune() == 0
    assert state.size == (1, 1)
    now[0] = 1060.5
    assert state.prune() == 2


def test_a_reset_forgets_everything_and_reads_the_log_again_from_its_start() -> None:
    """main's log was reset (its head is behind the cursor): the next catch-up must ask for its first event."""
    state = DenyState(960)
    state.apply([RevocationEvent(seq=5, user_id=USER, at=100.0, active=False)])
    state.reset()
    assert state.cursor == 0
    assert state.size == (0, 0)
    state.check(token(ver=0))


async def test_the_state_is_catching_up_until_loaded() -> None:
    state = DenyState(960)
    assert state.catching_up
    state.catching_up = False
    await state.wait_live()
    assert not state.catching_up
