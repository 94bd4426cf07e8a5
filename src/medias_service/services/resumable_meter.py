"""What one tus PATCH's bytes go through on their way to storage: the announced length, the request's checksum,
the whole file's incremental sha256, and the content type decided from the first bytes."""

from __future__ import annotations

import hashlib
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from medias_service.domain.content import SNIFF_BYTES, ContentPolicy, sniff
from medias_service.domain.errors import UploadLengthExceeded
from medias_service.domain.resumable import ResumableUpload


class UploadHashes:
    """The sha256 of each upload's stored bytes so far, kept by this process between requests (hash state cannot
    be stored). An upload whose previous request went to another replica, or came before a restart, has none
    here: its sha256 is then computed from the finished object instead. At most ``capacity`` are kept."""

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._hashes: OrderedDict[uuid.UUID, tuple[int, Any]] = OrderedDict()

    def resume(self, upload: ResumableUpload) -> Any | None:
        """A copy of the hash of the first ``upload.offset`` bytes (a fresh one at 0), or None."""
        if upload.offset == 0:
            return hashlib.sha256()
        kept = self._hashes.get(upload.id)
        return kept[1].copy() if kept is not None and kept[0] == upload.offset else None

    def keep(self, upload: ResumableUpload, sha: Any | None) -> None:
        if sha is None:
            self._hashes.pop(upload.id, None)
            return
        self._hashes[upload.id] = (upload.offset, sha)
        self._hashes.move_to_end(upload.id)
        while len(self._hashes) > self._capacity:
            self._hashes.popitem(last=False)

    def forget(self, upload_id: uuid.UUID) -> None:
        self._hashes.pop(upload_id, None)


class PatchMeter:
    """Pipes one request's chunks through unchanged. Refuses bytes past the upload's length, updates the file's
    sha256 (``sha``, None when unknown) and the request's own checksum (``checksum``, a hashlib object or None),
    and decides the content type once ``SNIFF_BYTES`` (or the whole file) are known (UnsupportedMediaType)."""

    def __init__(self, upload: ResumableUpload, policy: ContentPolicy, sha: Any | None, checksum: Any | None) -> None:
        self._upload = upload
        self._policy = policy
        self._room = upload.length - upload.offset
        self.sha = sha
        self.checksum = checksum
        self.size = 0
        self.head = upload.head
        self.content_type = upload.content_type

    async def pipe(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
        async for chunk in chunks:
            if not chunk:
                continue
            self.size += len(chunk)
            if self.size > self._room:
                raise UploadLengthExceeded(
                    f"The upload has {self._upload.length} bytes", upload_length=self._upload.length
                )
            if self.sha is not None:
                self.sha.update(chunk)
            if self.checksum is not None:
                self.checksum.update(chunk)
            if self.content_type is None:
                self.head += chunk[: SNIFF_BYTES - len(self.head)]
                self._decide_when_known()
            yield chunk

    def _decide_when_known(self) -> None:
        if len(self.head) >= SNIFF_BYTES or self._upload.offset + self.size == self._upload.length:
            declared = self._upload.intent.declared_type
            self.content_type = self._policy.accept(sniff(self.head), declared)
            self.head = b""
