"""SqlaResumableUploads: tus upload state in mediasdb (table ``resumable_upload``), with its lease."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import bindparam, delete, insert, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import resumable_upload as table
from medias_service.domain.library import UploadMetadata
from medias_service.domain.resumable import PartialData, ResumableUpload, UploadIntent
from qhitz_shared.db import AutocommitEngine, HotStatement, commit_need_not_wait


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
    """What a request may change, by column."""
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


def _upload(row: Mapping[str, Any]) -> ResumableUpload:
    return ResumableUpload(
        id=row["id"],
        owner_id=row["owner_id"],
        length=row["length"],
        intent=_intent(row["intent"]),
        storage_key=row["storage_key"],
        expires_at=row["expires_at"],
        offset=row["offset"],
        content_type=row["content_type"],
        head=row["head"] or b"",
        data=PartialData(row["data_token"], list(row["data_parts"])),
        media_id=row["media_id"],
        reservation_id=row["reservation_id"],
    )


# What every PATCH runs: constant statements with bound parameters (the b_ prefix: SQLAlchemy reserves column
# names in UPDATE ... SET), run as HotStatements on an autocommit connection, each committed on its own.
_COLUMNS = tuple(table.c.keys())
_B = {name: bindparam(f"b_{name}") for name in ("id", "owner", "holder", "now", "until")}
_FREE = or_(table.c.locked_until.is_(None), table.c.locked_until < _B["now"], table.c.lock_holder == _B["holder"])
# One conditional UPDATE: of two requests racing for a free upload, exactly one matches. A lease need not be
# durable (commit_need_not_wait): it is visible to every other transaction once committed, and one lost in a
# crash is one that ran out anyway.
_LEASING = (
    update(table)
    .where(table.c.id == _B["id"], _FREE, commit_need_not_wait())
    .values(lock_holder=_B["holder"], locked_until=_B["until"])
)
_LEASE = HotStatement(_LEASING.returning(table.c.id))
_TAKE = HotStatement(
    _LEASING.where(table.c.owner_id == _B["owner"], table.c.expires_at > _B["now"]).returning(*table.c)
)
_HELD = update(table).where(table.c.id == _B["id"], table.c.lock_holder == _B["holder"])
_RELEASE = HotStatement(
    _HELD.where(commit_need_not_wait()).values(lock_holder=null(), locked_until=null()).returning(table.c.id)
)
_STATE_COLUMNS = (
    "offset", "content_type", "head", "data_token", "data_parts", "media_id", "reservation_id", "expires_at",
)  # fmt: skip
_STATE = {name: bindparam(f"b_{name}") for name in _STATE_COLUMNS}  # _state's keys
_RECORD = HotStatement(_HELD.values(_STATE).returning(table.c.id))
_RECORD_AND_RELEASE = HotStatement(
    _HELD.values(_STATE).values(lock_holder=null(), locked_until=null()).returning(table.c.id)
)


class SqlaResumableUploads:
    """``add``, ``get``, ``save``, ``delete`` and ``expired`` run in the request's session (its unit of work
    commits them); the lease and ``record`` run on their own autocommit connection."""

    def __init__(self, session: AsyncSession, autocommit: AutocommitEngine) -> None:
        self._session = session
        self._engine = autocommit.engine

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
        return _upload(row._mapping) if row is not None else None

    async def save(self, upload: ResumableUpload) -> None:
        await self._session.execute(update(table).where(table.c.id == upload.id).values(_state(upload)))

    async def delete(self, upload_id: uuid.UUID) -> None:
        await self._session.execute(delete(table).where(table.c.id == upload_id))

    async def _run(self, statement: HotStatement, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        async with self._engine.connect() as connection:
            return await statement.rows(connection, params)

    async def record(self, upload: ResumableUpload, holder: uuid.UUID, *, release: bool) -> bool:
        params = {f"b_{name}": value for name, value in _state(upload).items()}
        statement = _RECORD_AND_RELEASE if release else _RECORD
        return bool(await self._run(statement, params | {"b_id": upload.id, "b_holder": holder}))

    async def lease(self, upload_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> bool:
        params = {"b_id": upload_id, "b_holder": holder, "b_now": now, "b_until": until}
        return bool(await self._run(_LEASE, params))

    async def take(
        self, upload_id: uuid.UUID, owner_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime
    ) -> ResumableUpload | None:
        params = {"b_id": upload_id, "b_owner": owner_id, "b_holder": holder, "b_now": now, "b_until": until}
        rows = await self._run(_TAKE, params)
        return _upload(dict(zip(_COLUMNS, rows[0], strict=True))) if rows else None

    async def release(self, upload_id: uuid.UUID, holder: uuid.UUID) -> None:
        await self._run(_RELEASE, {"b_id": upload_id, "b_holder": holder})

    async def expired(self, now: datetime, limit: int) -> list[ResumableUpload]:
        free = or_(table.c.locked_until.is_(None), table.c.locked_until < now)
        rows = await self._session.execute(
            select(table).where(table.c.expires_at <= now, free).order_by(table.c.expires_at).limit(limit)
        )
        return [_upload(row._mapping) for row in rows]
