"""SqlaResumableUploads: tus upload state in mediasdb (table ``resumable_upload``), with its lease."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import delete, insert, or_, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Update

from medias_service.adapters.outbound.persistence.models import resumable_upload as table
from medias_service.domain.library import UploadMetadata
from medias_service.domain.resumable import PartialData, ResumableUpload, UploadIntent


class _Intent(msgspec.Struct, omit_defaults=True):
    """The intent as a JSON document (one column: nothing here is queried)."""

    title: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    is_public: bool | None = None
    filename: str | None = None
    declared_type: str | None = None
    media_id: uuid.UUID | None = None
    folder_id: uuid.UUID | None = None


def _intent_row(intent: UploadIntent) -> Any:
    meta = intent.metadata
    document = _Intent(
        meta.title, meta.description, meta.tags, meta.is_public,
        intent.filename, intent.declared_type, intent.media_id, meta.folder_id,
    )  # fmt: skip
    return msgspec.to_builtins(document)


def _intent(raw: Any) -> UploadIntent:
    document = msgspec.convert(raw, _Intent)
    metadata = UploadMetadata(
        document.title, document.description, document.tags, document.is_public, document.folder_id
    )
    return UploadIntent(metadata, document.filename, document.declared_type, document.media_id)


def _state(upload: ResumableUpload) -> dict[str, Any]:
    return {
        "offset": upload.offset,
        "content_type": upload.content_type,
        "head": upload.head or None,
        "data_token": upload.data.token,
        "data_parts": list(upload.data.parts),
        "media_id": upload.media_id,
        "reservation_id": upload.reservation_id,
        "expires_at": upload.expires_at,
    }


def _upload(row: Row[Any]) -> ResumableUpload:
    return ResumableUpload(
        id=row.id,
        owner_id=row.owner_id,
        length=row.length,
        intent=_intent(row.intent),
        storage_key=row.storage_key,
        expires_at=row.expires_at,
        offset=row.offset,
        content_type=row.content_type,
        head=row.head or b"",
        data=PartialData(row.data_token, list(row.data_parts)),
        media_id=row.media_id,
        reservation_id=row.reservation_id,
    )


class SqlaResumableUploads:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, upload: ResumableUpload) -> None:
        values = _state(upload) | {
            "id": upload.id,
            "owner_id": upload.owner_id,
            "length": upload.length,
            "storage_key": upload.storage_key,
            "intent": _intent_row(upload.intent),
        }
        await self._session.execute(insert(table).values(values))

    async def get(self, upload_id: uuid.UUID) -> ResumableUpload | None:
        row = (await self._session.execute(select(table).where(table.c.id == upload_id))).one_or_none()
        return _upload(row) if row is not None else None

    async def save(self, upload: ResumableUpload, *, holder: uuid.UUID | None = None) -> None:
        values = _state(upload)
        if holder is not None:
            values |= {"lock_holder": None, "locked_until": None}
        await self._session.execute(update(table).where(table.c.id == upload.id).values(values))

    async def delete(self, upload_id: uuid.UUID) -> None:
        await self._session.execute(delete(table).where(table.c.id == upload_id))

    async def _lease_commit_need_not_wait(self) -> None:
        """A lease is visible to every other transaction as soon as it commits; only its durability would wait for
        the WAL flush (several ms a commit here), and a lease lost in a crash is one that ran out anyway. So on
        PostgreSQL its transaction commits without waiting (``synchronous_commit`` off for it alone)."""
        bind = self._session.bind
        if bind is not None and bind.dialect.name == "postgresql":
            await self._session.execute(text("SET LOCAL synchronous_commit TO OFF"))

    @staticmethod
    def _leasing(upload_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> Update:
        # One conditional UPDATE: of two requests racing for a free upload, exactly one matches.
        free = or_(table.c.locked_until.is_(None), table.c.locked_until < now, table.c.lock_holder == holder)
        return (
            update(table)
            .where(table.c.id == upload_id, free)
            .values(lock_holder=holder, locked_until=until)
            .execution_options(synchronize_session=False)
        )

    async def lease(self, upload_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> bool:
        await self._lease_commit_need_not_wait()
        result = await self._session.execute(self._leasing(upload_id, holder, now, until))
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def take(
        self, upload_id: uuid.UUID, owner_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime
    ) -> ResumableUpload | None:
        await self._lease_commit_need_not_wait()
        statement = self._leasing(upload_id, holder, now, until).where(
            table.c.owner_id == owner_id, table.c.expires_at > now
        )
        row = (await self._session.execute(statement.returning(*table.c))).one_or_none()
        return _upload(row) if row is not None else None

    async def release(self, upload_id: uuid.UUID, holder: uuid.UUID) -> None:
        await self._lease_commit_need_not_wait()
        await self._session.execute(
            update(table)
            .where(table.c.id == upload_id, table.c.lock_holder == holder)
            .values(lock_holder=None, locked_until=None)
        )

    async def expired(self, now: datetime, limit: int) -> list[ResumableUpload]:
        free = or_(table.c.locked_until.is_(None), table.c.locked_until < now)
        rows = await self._session.execute(
            select(table).where(table.c.expires_at <= now, free).order_by(table.c.expires_at).limit(limit)
        )
        return [_upload(row) for row in rows]
