"""Filenames, tags, titles, trash retention and the permission rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from medias_service.domain.errors import InvalidMediaData, InvalidTag
from medias_service.domain.filenames import sanitize_filename
from medias_service.domain.library import normalize_description, normalize_title
from medias_service.domain.media import Media, new_storage_key
from medias_service.domain.permissions import can_delete, can_read, can_see_owner, can_write
from medias_service.domain.tags import normalize_tags, split_tags
from qhitz_shared.principal import Principal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("photo.jpg", "photo.jpg"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/abs/path/x.png", "x.png"),
        ("a\x00b\x1b\x7fc.txt", "abc.txt"),
        ("rtl\u202egpj.exe", "rtlgpj.exe"),
        ("zero\u200bwidth.png", "zerowidth.png"),
        ("e\u0301.png", "\u00e9.png"),  # NFC
        ("  many   spaces .png ", "many spaces .png"),
        ("<script>.html", "_script_.html"),
        (".bashrc", "bashrc"),
        ("NUL", "_NUL"),
        ("", None),
        (None, None),
        ("/", None),
        ("...", None),
    ],
)
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


def test_long_filenames_keep_their_extension_within_255_bytes():
    name = sanitize_filename("é" * 400 + ".jpeg")
    assert name is not None
    assert len(name.encode()) <= 255
    assert name.endswith(".jpeg")
    assert sanitize_filename("x" * 300) == "x" * 255


def test_storage_keys_are_random_and_never_from_input():
    keys = {new_storage_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        parts = key.split("/")
        assert parts[0] == "blobs" and parts[3].startswith(parts[1] + parts[2]) and len(parts[3]) == 32


def test_tags():
    assert normalize_tags(["  Sea ", "sea", "Blue  Sky", ""]) == ["sea", "blue sky"]
    assert split_tags(["a, b", "c"]) == ["a", " b", "c"]
    assert normalize_tags(["x" * 50]) == ["x" * 50]
    with pytest.raises(InvalidTag):
        normalize_tags(["x" * 51])
    with pytest.raises(InvalidTag):
        normalize_tags([f"t{i}" for i in range(21)])
    with pytest.raises(InvalidTag):
        normalize_tags(["bad\x00tag"])


def test_titles_and_descriptions():
    assert normalize_title("  A   title ") == "A title"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(InvalidMediaData):
            normalize_title(bad)
    assert normalize_description("  line\nnext  ") == "line\nnext"
    assert normalize_description("   ") is None
    with pytest.raises(InvalidMediaData):
        normalize_description("bell\x07")


def test_trash_retention():
    now = datetime.now(UTC)
    media = Media(id=uuid.uuid4(), owner_id=uuid.uuid4(), title="t", deleted_at=now - timedelta(days=29))
    assert media.restorable(now, timedelta(days=30))
    assert not media.restorable(now + timedelta(days=1, seconds=1), timedelta(days=30))
    assert media.purge_after(timedelta(days=30)) == now + timedelta(days=1)


OWNER = uuid.uuid4()


def actor(*permissions: str, user: uuid.UUID = OWNER) -> Principal:
    return Principal(subject=str(user), permissions=frozenset(permissions))


def test_permission_rules():
    private = Media(id=uuid.uuid4(), owner_id=OWNER, title="p")
    public = Media(id=uuid.uuid4(), owner_id=OWNER, title="p", is_public=True)
    trashed_public = Media(id=uuid.uuid4(), owner_id=OWNER, title="p", is_public=True, deleted_at=datetime.now(UTC))
    stranger = uuid.uuid4()
    service = Principal(subject="service:x", service="x", permissions=frozenset({"media:read"}))

    assert can_read(None, public) and not can_read(None, private) and not can_read(None, trashed_public)
    assert can_read(actor("media:read"), private) and can_read(actor("media:read"), trashed_public)
    assert not can_read(actor(), private)  # the owner still needs media:read
    assert not can_read(actor("media:read", user=stranger), private)
    assert can_read(actor("media:read:any", user=stranger), private)
    assert not can_read(service, private)

    assert can_write(actor("media:write"), private) and not can_write(actor("media:read"), private)
    assert not can_write(actor("media:write", user=stranger), public)
    assert can_write(actor("media:write:any", user=stranger), public)
    assert can_delete(actor("media:delete"), private) and not can_delete(actor("media:write"), private)
    assert can_delete(actor("media:delete:any", user=stranger), private)

    assert can_see_owner(actor("media:read"), OWNER)
    assert not can_see_owner(actor("media:read", user=stranger), OWNER)
    assert can_see_owner(actor("media:read:any", user=stranger), OWNER)


def test_titles_descriptions_and_tags_share_one_text_rule():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Caf\u00e9")
    assert normalize_title(f"  {nfd}\tau  lait ") == "Caf\u00e9 au lait"
    assert normalize_description(f"{nfd}\nline two") == "Caf\u00e9\nline two"
    assert normalize_tags([nfd, "caf\u00e9"]) == ["caf\u00e9"]
    assert normalize_tags([unicodedata.normalize("NFD", "\u00e9" * 50)]) == ["\u00e9" * 50]
    for bad in ("a\x00b", "a\x01b", "a\x9bb"):
        with pytest.raises(InvalidMediaData, match="title"):
            normalize_title(bad)
        with pytest.raises(InvalidMediaData, match="description"):
            normalize_description(bad)
        with pytest.raises(InvalidTag):
            normalize_tags([bad])


def test_a_user_whose_subject_is_not_a_uuid_owns_nothing():
    """A verified user token whose subject is not a UUID (another issuer's id, "service:x" without svc) must not
    read, change or list a private media as its owner, and must not crash the rule either."""
    private = Media(id=uuid.uuid4(), owner_id=OWNER, title="p")
    everything = ("media:read", "media:write", "media:delete")
    for subject in ("not-a-uuid", "service:medias_service", "", f"{OWNER}x"):
        odd = Principal(subject=subject, permissions=frozenset(everything))
        assert not can_read(odd, private)
        assert not can_write(odd, private)
        assert not can_delete(odd, private)
        assert not can_see_owner(odd, OWNER)
    moderator = Principal(subject="not-a-uuid", permissions=frozenset({"media:read:any", "media:write:any"}))
    assert can_read(moderator, private) and can_write(moderator, private) and can_see_owner(moderator, OWNER)
    assert not can_delete(moderator, private)


def test_a_service_never_acts_as_an_owner():
    """A service token whose subject happens to be the owner's id still owns nothing; only *:any opens media."""
    private = Media(id=uuid.uuid4(), owner_id=OWNER, title="p")
    service = Principal(subject=str(OWNER), service="x", permissions=frozenset({"media:read", "media:write"}))
    assert not can_read(service, private) and not can_write(service, private)
    assert not can_see_owner(service, OWNER)
    assert can_read(Principal(subject=str(OWNER), service="x", permissions=frozenset({"media:read:any"})), private)


def test_public_media_in_the_trash_is_private_again_and_only_owners_write():
    trashed = Media(id=uuid.uuid4(), owner_id=OWNER, title="p", is_public=True, deleted_at=datetime.now(UTC))
    stranger = uuid.uuid4()
    assert not can_read(actor("media:read", user=stranger), trashed)
    assert can_read(actor("media:read:any", user=stranger), trashed)
    assert not can_read(actor(), trashed)
    assert not can_write(None, trashed) and not can_delete(None, trashed)
    assert not can_delete(actor("media:delete", user=stranger), trashed)
