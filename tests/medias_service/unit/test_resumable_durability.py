"""A PATCH's new offset is committed only once its bytes are durable; the record is written meanwhile."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from medias_service.services.resumable_append import ResumableAppend


class Journal:
    def __init__(self, sync_fails: bool = False) -> None:
        self.events: list[str] = []
        self._sync_fails = sync_fails

    async def sync(self, upload: Any) -> None:
        self.events.append("sync started")
        await asyncio.sleep(0.02)
        if self._sync_fails:
            raise OSError("disk gone")
        self.events.append("sync done")

    async def save(self, upload: Any, *, holder: Any = None) -> None:
        self.events.append("saved")

    async def commit(self) -> None:
        self.events.append("committed")


def appending(journal: Journal) -> ResumableAppend:
    parts: dict[str, Any] = dict.fromkeys(("lifecycle", "storage", "recording", "limits", "hashes", "rules", "policy"))
    return ResumableAppend(uploads=journal, partial=journal, uow=journal, **parts)  # type: ignore[arg-type]


async def test_the_record_is_written_during_the_sync_and_committed_after_it():
    journal = Journal()
    await appending(journal)._save_when_durable(object(), None, stored=10)  # type: ignore[arg-type]
    assert journal.events == ["sync started", "saved", "sync done", "committed"]


async def test_bytes_that_did_not_reach_the_disk_are_not_committed():
    journal = Journal(sync_fails=True)
    with pytest.raises(OSError, match="disk gone"):
        await appending(journal)._save_when_durable(object(), None, stored=10)  # type: ignore[arg-type]
    assert "committed" not in journal.events


async def test_an_empty_request_has_nothing_to_sync():
    journal = Journal()
    await appending(journal)._save_when_durable(object(), None, stored=0)  # type: ignore[arg-type]
    assert journal.events == ["saved", "committed"]
