"""Where the bytes live."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from typing import Protocol


class MediaStorage(Protocol):
    """Object storage addressed by keys the service generates (never by client input).

    ``write`` is all-or-nothing: when ``chunks`` raises, the partial object is removed and the error propagates;
    readers never see a partial object. ``read`` streams ``[start, end)``; ``delete`` ignores missing keys.
    """

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None: ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]: ...

    async def delete(self, keys: Sequence[str]) -> None: ...

    async def ping(self) -> None:
        """Raises when the storage is not usable (readiness)."""
        ...

    async def sweep_incomplete(self, older_than_seconds: float = 86400) -> int:
        """Remove what crashed writes left behind, where the storage itself does not (returns how many)."""
        ...
