"""The drive's rules without a database: folder names, link states and settings, archive names, and the quota
reservation use case with fakes."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from medias_service.adapters.inbound.http.zipped import archive_names
from medias_service.domain.errors import InvalidFolderName, InvalidShare
from medias_service.domain.folders import FolderFile, folder_name
from medias_service.domain.shares import ShareLink, ShareState, check_settings, new_token, token_hash
from medias_service.services.quota import UploadQuota
from tests.medias_service.unit.fakes import FakeDatabase, FakeQuotaReservations, FakeUnitOfWork

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def test_folder_names_are_nfc_trimmed_and_keyed_case_insensitively():
    assert folder_name("  " + unicodedata.normalize("NFD", "Café") + "\t") == ("Café", "café")
    assert folder_name("STRASSE")[1] == folder_name("straße")[1]  # full case folding, not lower()
    assert folder_name("x" * 255)[0] == "x" * 255


@pytest.mark.parametrize("bad", ["", "   ", "a/b", ".", "..", "x" * 256, "new\nline", "nul\x00", "bell\x07"])
def test_bad_folder_names_are_refused(bad):
    with pytest.raises(InvalidFolderName):
        folder_name(bad)


def test_a_link_state_follows_revocation_expiry_and_downloads():
    link = ShareLink(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), None)
    assert link.state(NOW) is ShareState.ACTIVE
    link.max_downloads, link.download_count = 2, 2
    assert link.state(NOW) is ShareState.EXHAUSTED
    link.expires_at = NOW
    assert link.state(NOW) is ShareState.EXPIRED
    link.revoked_at = NOW
    assert link.state(NOW) is ShareState.REVOKED


def test_link_settings_and_tokens():
    with pytest.raises(InvalidShare):
        check_settings(NOW - timedelta(seconds=1), None, NOW)
    with pytest.raises(InvalidShare):
        check_settings(None, 0, NOW)
    check_settings(NOW + timedelta(days=1), 1, NOW)
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(token) >= 43 for token in tokens)  # 256 bits, URL-safe
    token = tokens.pop()
    assert token_hash(token) != token and len(token_hash(token)) == 64


def test_archive_names_keep_folders_and_number_clashes():
    def file(path: tuple[str, ...], name: str) -> FolderFile:
        return FolderFile(path, name, "k", 1, "0" * 64, None)

    files = [file((), "a.pdf"), file((), "A.pdf"), file(("sub",), "a.pdf"), file((), "../evil"), file((), "noext")]
    assert archive_names(files) == ["a.pdf", "A (2).pdf", "sub/a.pdf", ".._evil", "noext"]


async def test_reservations_hold_room_settle_release_and_expire():
    db = FakeDatabase()
    quota = UploadQuota(FakeQuotaReservations(db), FakeUnitOfWork(db), timedelta(hours=1))
    owner = uuid.uuid4()
    first = await quota.reserve(owner, 600, 1000)
    assert first is not None
    assert await quota.reserve(owner, 500, 1000) is None  # 600 held: 500 more does not fit
    await quota.release(first)
    second = await quota.reserve(owner, 500, 1000)
    assert second is not None and await quota.reserve(owner, 500, 1000) is not None
    assert db.committed.reservations  # reserve commits
    await quota.settle(second)  # in the caller's transaction: not committed here
    assert second.id in db.committed.reservations and second.id not in db.state.reservations
    stale = await quota.reserve(owner, 1, 10_000, ttl=timedelta(seconds=-1))
    assert stale is not None
    assert await quota.expire() == 1
    assert stale.id not in db.committed.reservations
