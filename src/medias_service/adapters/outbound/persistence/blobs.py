"""SqlaBlobRepository: deduplicated blobs with reference counts, and each owner's storage usage."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import BlobModel, storage_garbage, storage_usage
from medias_service.adapters.outbound.persistence.reservations import ensure_usage_row
from medias_service.domain.errors import QuotaExceeded
from medias_service.domain.library import StorageUsage
from medias_service.domain.media import Blob
from qhitz_shared.db import upsert
from qhitz_shared.ids import new_id


class SqlaBlobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def usage(self, owner_id: uuid.UUID) -> StorageUsage:
        row = (
            await self._session.execute(
                select(storage_usage.c.bytes_used, storage_usage.c.bytes_reserved).where(
                    storage_usage.c.owner_id == owner_id
                )
            )
        ).first()
        largest = await self._session.scalar(select(func.max(BlobModel.size)).where(BlobModel.owner_id == owner_id))
        used, reserved = (int(row.bytes_used), int(row.bytes_reserved)) if row else (0, 0)
        return StorageUsage(used_bytes=used, largest_blob_bytes=int(largest or 0), reserved_bytes=reserved)

    async def claim(
        self, owner_id: uuid.UUID, sha256: str, size: int, storage_key: str, quota_bytes: int | None
    ) -> tuple[Blob, bool]:
        # One statement, safe under concurrency: two uploads of the same bytes end with one blob referenced twice.
        table = BlobModel.__table__
        statement = (
            upsert(self._session, table)
            .values(id=new_id(), owner_id=owner_id, sha256=sha256, size=size, storage_key=storage_key, refcount=1)
            .on_conflict_do_update(
                index_elements=["owner_id", "sha256"],
                set_={"refcount": table.c.refcount + 1, "updated_at": datetime.now(UTC)},
            )
            .returning(table.c.id, table.c.storage_key, table.c.refcount, table.c.size)
        )
        row = (await self._session.execute(statement)).one()
        created = row.storage_key == storage_key
        if created:
            await self._add_usage(owner_id, size, quota_bytes)
        blob = Blob(row.id, owner_id, sha256, row.size, row.storage_key, row.refcount)
        return blob, created

    async def _add_usage(self, owner_id: uuid.UUID, size: int, quota_bytes: int | None) -> None:
        await ensure_usage_row(self._session, owner_id)
        usage = storage_usage.c
        fits = usage.bytes_used + usage.bytes_reserved + size <= quota_bytes if quota_bytes is not None else true()
        result = await self._session.execute(
            update(storage_usage)
            .where(storage_usage.c.owner_id == owner_id, fits)
            .values(bytes_used=storage_usage.c.bytes_used + size)
        )
        if result.rowcount == 0:
            raise QuotaExceeded("The upload would exceed your storage quota", size=size, quota_bytes=quota_bytes)

    async def acquire(self, blob_ids: Mapping[uuid.UUID, int]) -> None:
        for blob_id, count in blob_ids.items():
            await self._session.execute(
                update(BlobModel).where(BlobModel.id == blob_id).values(refcount=BlobModel.refcount + count)
            )

    async def release(self, blob_ids: Mapping[uuid.UUID, int]) -> list[str]:
        for blob_id, count in blob_ids.items():
            await self._session.execute(
                update(BlobModel).where(BlobModel.id == blob_id).values(refcount=BlobModel.refcount - count)
            )
        freed = (
            await self._session.execute(
                select(BlobModel.id, BlobModel.owner_id, BlobModel.size, BlobModel.storage_key).where(
                    BlobModel.id.in_(list(blob_ids)), BlobModel.refcount <= 0
                )
            )
        ).all()
        if not freed:
            return []
        await self._session.execute(delete(BlobModel).where(BlobModel.id.in_([row.id for row in freed])))
        released: dict[uuid.UUID, int] = defaultdict(int)
        for row in freed:
            released[row.owner_id] += row.size
        for owner_id, size in released.items():
            await self._session.execute(
                update(storage_usage)
                .where(storage_usage.c.owner_id == owner_id)
                .values(bytes_used=storage_usage.c.bytes_used - size)
            )
        keys = [row.storage_key for row in freed]
        await self._session.execute(
            upsert(self._session, storage_garbage)
            .values([{"storage_key": key} for key in keys])
            .on_conflict_do_nothing(index_elements=["storage_key"])
        )
        return keys

    async def stored_bytes(self, owner_id: uuid.UUID | None) -> int:
        query = select(func.coalesce(func.sum(storage_usage.c.bytes_used), 0))
        if owner_id is not None:
            query = query.where(storage_usage.c.owner_id == owner_id)
        return int(await self._session.scalar(query) or 0)

    async def garbage(self, limit: int) -> list[str]:
        keys = await self._session.scalars(
            select(storage_garbage.c.storage_key).order_by(storage_garbage.c.queued_at).limit(limit)
        )
        return list(keys)

    async def forget_garbage(self, keys: list[str]) -> None:
        if keys:
            await self._session.execute(delete(storage_garbage).where(storage_garbage.c.storage_key.in_(keys)))
