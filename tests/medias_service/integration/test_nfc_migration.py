"""Revision 0003 rewrites existing titles, descriptions and tags in NFC, merging tags that become one."""

from __future__ import annotations

import unicodedata
import uuid

import sqlalchemy as sa

from medias_service.adapters.outbound.persistence.models import MediaModel, MediaTagModel, media_tags_media
from tests.support import databases
from tests.support.nfc_migration import blank_db, run_sync

__all__ = ["blank_db"]

media = MediaModel.__table__
tags = MediaTagModel.__table__
CAFE = "caf\u00e9"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_titles_become_nfc_and_tags_that_become_one_merge(blank_db):
    databases.migrate("medias", blank_db, "0002")
    owner, other = uuid.UUID(int=100), uuid.UUID(int=200)
    first, second, both = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
    common = {"current_version": 1, "version_count": 1, "kind": "image", "content_type": "image/png", "size": 1}
    nfc_tag, nfd_tag, other_tag = uuid.UUID(int=11), uuid.UUID(int=12), uuid.UUID(int=13)

    def seed(connection: sa.Connection) -> None:
        connection.execute(
            media.insert(),
            [
                {
                    "id": first,
                    "owner_id": owner,
                    "title": nfd(f"{CAFE} 1"),
                    "description": nfd(CAFE),
                    **common,
                    "status": "ready",
                },
                {"id": second, "owner_id": owner, "title": "two", "description": None, **common, "status": "ready"},
                {"id": both, "owner_id": owner, "title": "three", "description": None, **common, "status": "ready"},
            ],
        )
        connection.execute(
            tags.insert(),
            [
                {"id": nfc_tag, "owner_id": owner, "name": CAFE},
                {"id": nfd_tag, "owner_id": owner, "name": nfd(CAFE)},
                {"id": other_tag, "owner_id": other, "name": nfd(CAFE)},  # another library: renamed, not merged
            ],
        )
        connection.execute(
            media_tags_media.insert(),
            [
                {"media_id": first, "tag_id": nfc_tag},
                {"media_id": second, "tag_id": nfd_tag},
                {"media_id": both, "tag_id": nfc_tag},
                {"media_id": both, "tag_id": nfd_tag},
            ],
        )

    run_sync(blank_db, seed)
    databases.migrate("medias", blank_db)

    def read(connection: sa.Connection):
        titles = {r.id: (r.title, r.description) for r in connection.execute(sa.select(media)).all()}
        names = {r.id: (r.owner_id, r.name) for r in connection.execute(sa.select(tags)).all()}
        links = {(r.media_id, r.tag_id) for r in connection.execute(sa.select(media_tags_media)).all()}
        return titles, names, links

    titles, names, links = run_sync(blank_db, read)
    assert titles[first] == (f"{CAFE} 1", CAFE)
    assert names == {nfc_tag: (owner, CAFE), other_tag: (other, CAFE)}
    assert links == {(first, nfc_tag), (second, nfc_tag), (both, nfc_tag)}
    databases.downgrade("medias", blank_db, "0002")
