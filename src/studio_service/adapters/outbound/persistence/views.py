"""Hot reads that need no unit of work: a job's progress, polled by its Server-Sent Events stream."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from studio_service.adapters.outbound.persistence.models import jobs
from studio_service.domain.jobs import JobStatus


class SqlaJobViews:
    """APP scope: each read checks a connection out of the pool and returns it at once (a stream holds none)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def progress(self, job_id: uuid.UUID) -> tuple[JobStatus, int, str | None, bool] | None:
        """(status, progress, error, cancel_requested) of the job, or None when it does not exist."""
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(jobs.c.status, jobs.c.progress, jobs.c.error, jobs.c.cancel_requested).where(
                        jobs.c.id == job_id
                    )
                )
            ).first()
        return None if row is None else (JobStatus(row.status), row.progress, row.error, bool(row.cancel_requested))
