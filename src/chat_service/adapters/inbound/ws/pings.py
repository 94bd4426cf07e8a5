"""PingBook: members' recent round trips per group, learnt from presence frames of every replica, so a playback
command is scheduled far enough ahead for the slowest member connected anywhere."""

from __future__ import annotations

import time
import uuid


class PingBook:
    def __init__(self, window_seconds: float = 60.0) -> None:
        self._window = window_seconds
        self._rtts: dict[uuid.UUID, dict[uuid.UUID, tuple[float, float]]] = {}

    def record(self, group_id: uuid.UUID, user_id: uuid.UUID, rtt_ms: float) -> None:
        self._rtts.setdefault(group_id, {})[user_id] = (rtt_ms, time.monotonic())

    def forget(self, group_id: uuid.UUID, user_id: uuid.UUID) -> None:
        group = self._rtts.get(group_id)
        if group is not None:
            group.pop(user_id, None)
            if not group:
                del self._rtts[group_id]

    def highest(self, group_id: uuid.UUID) -> float:
        """The highest round trip (ms) reported in the window, 0 when none."""
        horizon = time.monotonic() - self._window
        group = self._rtts.get(group_id, {})
        for user_id in [user for user, (_, seen) in group.items() if seen < horizon]:
            del group[user_id]
        return max((rtt for rtt, _ in group.values()), default=0.0)
