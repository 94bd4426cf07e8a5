"""Page requests as plain data, usable by every layer."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PER_PAGE = 100
# Far past any real list, and small enough that (page - 1) * per_page fits a 64-bit OFFSET.
MAX_PAGE = 1_000_000


@dataclass(frozen=True, slots=True)
class PageRequest:
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def limit(self) -> int:
        return self.per_page
