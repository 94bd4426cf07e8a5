"""Remote providers' callbacks in studiodb (one row per job, the newest word on it)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from qhitz_shared.db import upsert
from studio_service.adapters.outbound.persistence.models import remote_results
from studio_service.ports.generators import RemoteResult

TERMINAL = ("succeeded", "failed")


class SqlaRemoteResults:
    """APP scope: each call is its own short transaction (the waiting generator holds no connection)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(self, job_id: uuid.UUID, result: RemoteResult) -> None:
        values = {
            "job_id": job_id,
            "status": result.status,
            "progress": result.progress,
            "output_url": result.output_url,
            "error": result.error,
        }
        async with AsyncSession(self._engine) as session:
            statement = upsert(session, remote_results).values(**values)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["job_id"],
                    set_={key: statement.excluded[key] for key in values if key != "job_id"},
                    where=remote_results.c.status.not_in(TERMINAL),
                )
            )
            await session.commit()

    async def get(self, job_id: uuid.UUID) -> RemoteResult | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(remote_results).where(remote_results.c.job_id == job_id))).first()
        return None if row is None else RemoteResult(row.status, row.progress, row.output_url, row.error)
