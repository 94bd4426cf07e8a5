"""Tags: NFC, trimmed, lower case, at most 50 code points, a bounded number per media."""

from __future__ import annotations

from collections.abc import Iterable

from medias_service.domain.errors import InvalidTag
from qhitz_shared.text import clean_text, nfc

MAX_TAG_LENGTH = 50
MAX_TAGS_PER_MEDIA = 20


def normalize_tag(value: str) -> str:
    """One spelling per tag: NFC (again after lower-casing, which can decompose), whitespace runs collapsed;
    the limit counts code points of that form."""
    tag = nfc(clean_text(value, field="tags", max_length=len(value), error=InvalidTag).lower())
    if not tag:
        raise InvalidTag("A tag cannot be empty", field="tags")
    if len(tag) > MAX_TAG_LENGTH or any(not char.isprintable() for char in tag):
        raise InvalidTag(f"A tag has at most {MAX_TAG_LENGTH} printable characters", field="tags", tag=tag[:60])
    return tag


def normalize_tags(values: Iterable[str]) -> list[str]:
    """Normalized, duplicates removed, first-seen order kept; blanks between commas are ignored."""
    seen: dict[str, None] = {}
    for value in values:
        if value.strip():
            seen.setdefault(normalize_tag(value), None)
    if len(seen) > MAX_TAGS_PER_MEDIA:
        raise InvalidTag(f"A media has at most {MAX_TAGS_PER_MEDIA} tags", field="tags")
    return list(seen)


def split_tags(raw: Iterable[str]) -> list[str]:
    """Form values: each may hold several comma-separated tags."""
    return [part for value in raw for part in value.split(",")]
