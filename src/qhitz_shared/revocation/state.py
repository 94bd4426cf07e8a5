"""The deny state a token verifier keeps: small, in memory, consulted on every request without any I/O."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.principal import Principal
from qhitz_shared.revocation.events import RevocationEvent


class SessionEndedError(TokenRevokedError):
    """A token whose session (``sid``) was ended: logout, logout everywhere, a reused refresh token, a password
    change. Same code as main_service's and auth_service's SessionRevoked."""

    code = "session_revoked"
    title = "The session has ended"


@dataclass(slots=True)
class _UserMark:
    min_version: int
    active: bool
    seq: int
    at: float


class DenyState:
    """Per user: the smallest token version still valid and whether the account is active; per session: ended.

    Entries are kept ``retention_seconds`` (at least the longest access-token lifetime plus leeway): any token
    they would refuse has expired by then. ``catching_up`` is true until the state has been loaded from main's
    log, and again while the event stream is lost; /ready reports it."""

    def __init__(self, retention_seconds: float, *, clock: Callable[[], float] = time.time) -> None:
        self.retention_seconds = retention_seconds
        self._clock = clock
        self._users: dict[str, _UserMark] = {}
        self._sessions: dict[str, float] = {}
        self.cursor = 0
        self.synced_at = 0.0  # time.monotonic() of the last successful catch-up or poll
        self._live = asyncio.Event()

    @property
    def catching_up(self) -> bool:
        return not self._live.is_set()

    @catching_up.setter
    def catching_up(self, value: bool) -> None:
        if value:
            self._live.clear()
        else:
            self._live.set()

    async def wait_live(self) -> None:
        """Returns once the state is loaded and its stream live (callers bound the wait)."""
        await self._live.wait()

    def apply(self, events: Iterable[RevocationEvent], *, from_log: bool = True) -> None:
        """Idempotent and order-insensitive: a replayed or late event changes nothing it should not.

        Only events read from main's log (in seq order) move ``cursor``; a live event may overtake one a slower
        replica has yet to publish, and the next catch-up must still ask for that one."""
        for event in events:
            if event.session_id is not None:
                self._sessions[event.session_id] = max(event.at, self._sessions.get(event.session_id, 0.0))
            if event.token_version is not None or event.active is not None:
                self._apply_user(event)
            if from_log:
                self.cursor = max(self.cursor, event.seq)

    def _apply_user(self, event: RevocationEvent) -> None:
        mark = self._users.get(event.user_id)
        version = event.token_version or 0
        if mark is None:
            active = True if event.active is None else event.active
            self._users[event.user_id] = _UserMark(version, active, event.seq, event.at)
            return
        mark.min_version = max(mark.min_version, version)
        if event.seq >= mark.seq:
            if event.active is not None:
                mark.active = event.active
            mark.seq, mark.at = event.seq, max(mark.at, event.at)

    def check(self, principal: Principal) -> None:
        """Raises TokenRevokedError (or SessionEndedError) for a user token the events revoked; no I/O."""
        if principal.is_service:
            return
        mark = self._users.get(principal.subject)
        if mark is not None:
            if not mark.active:
                raise TokenRevokedError("The account is not active")
            if principal.token_version < mark.min_version:
                raise TokenRevokedError("The token has been revoked")
        if principal.session_id is not None and principal.session_id in self._sessions:
            raise SessionEndedError("The session has ended")

    def prune(self) -> int:
        """Forget entries older than the retention window; returns how many went."""
        horizon = self._clock() - self.retention_seconds
        users = [key for key, mark in self._users.items() if mark.at < horizon]
        sessions = [key for key, at in self._sessions.items() if at < horizon]
        for key in users:
            del self._users[key]
        for key in sessions:
            del self._sessions[key]
        return len(users) + len(sessions)

    def reset(self) -> None:
        self._users.clear()
        self._sessions.clear()
        self.cursor = 0

    @property
    def size(self) -> tuple[int, int]:
        return len(self._users), len(self._sessions)
