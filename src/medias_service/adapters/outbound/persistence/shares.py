"""SqlaShareRepository (share_link rows in the request's transaction) and SqlaShareCounters (atomic counters)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from medias_service.adapters.outbound.persistence.models import ShareLinkModel
from medias_service.domain.shares import ShareLink
from qhitz_shared.pagination import PageRequest

_share = ShareLinkModel.__table__
_FIELDS = (
    "id", "owner_id", "media_id", "folder_id", "password_hash", "expires_at", "max_downloads", "allow_download",
    "download_count", "access_count", "last_access_at", "revoked_at", "created_at", "updated_at",
)  # fmt: skip
_COLUMNS = tuple(_share.c[name] for name in _FIELDS)


def _link(row: Any) -> ShareLink:
    return ShareLink(*row)


class SqlaShareRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, link: ShareLink, token_hash: str) -> None:
        values = {name: getattr(link, name) for name in _FIELDS[:8]}
        model = ShareLinkModel(**values, token_hash=token_hash, download_count=0, access_count=0)
        self._session.add(model)
        await self._session.flush()
        link.created_at, link.updated_at = model.created_at, model.updated_at

    async def get(self, link_id: uuid.UUID, *, lock: bool = False) -> ShareLink | None:
        query = select(*_COLUMNS).where(_share.c.id == link_id)
        row = (await self._session.execute(query.with_for_update() if lock else query)).first()
        return _link(row) if row else None

    async def by_token_hash(self, token_hash: str) -> ShareLink | None:
        row = (await self._session.execute(select(*_COLUMNS).where(_share.c.token_hash == token_hash))).first()
        return _link(row) if row else None

    async def list(self, owner_id: uuid.UUID, page: PageRequest) -> tuple[list[ShareLink], int]:
        where = _share.c.owner_id == owner_id
        total = int(await self._session.scalar(select(func.count()).select_from(_share).where(where)) or 0)
        rows = await self._session.execute(
            select(*_COLUMNS)
            .where(where)
            .order_by(_share.c.created_at.desc(), _share.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return [_link(row) for row in rows], total

    async def save(self, link: ShareLink) -> None:
        model = await self._session.get(ShareLinkModel, link.id, populate_existing=True)
        assert model is not None
        for name in ("password_hash", "expires_at", "max_downloads", "allow_download", "revoked_at"):
            setattr(model, name, getattr(link, name))
        await self._session.flush()
        link.updated_at = model.updated_at


class SqlaShareCounters:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record_access(self, link_id: uuid.UUID, now: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(_share)
                .where(_share.c.id == link_id)
                .values(access_count=_share.c.access_count + 1, last_access_at=now)
            )

    async def claim_download(self, link_id: uuid.UUID, now: datetime) -> bool:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(_share)
                .where(
                    _share.c.id == link_id,
                    _share.c.revoked_at.is_(None),
                    or_(_share.c.expires_at.is_(None), _share.c.expires_at > now),
                    or_(_share.c.max_downloads.is_(None), _share.c.download_count < _share.c.max_downloads),
                )
                .values(download_count=_share.c.download_count + 1)
            )
        return result.rowcount == 1

    async def give_back_download(self, link_id: uuid.UUID) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(_share)
                .where(_share.c.id == link_id, _share.c.download_count > 0)
                .values(download_count=_share.c.download_count - 1)
            )
