"""Tags: trimmed, lower case, at most 50 characters, a bounded number per media."""

from __future__ import annotations

from collections.abc import Iterable

from medias_service.domain.errors import InvalidTag

MAX_TAG_LENGTH = 50
MAX_TAGS_PER_MEDIA = 20


def normalize_tag(value: str) -> str:
    tag = " ".join(value.split()).lower()
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
