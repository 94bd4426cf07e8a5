"""Jobs in studiodb: every status change is one conditional UPDATE on the expected status."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qhitz_shared.db import violated_constraint
from qhitz_shared.outbox.store import record_event
from qhitz_shared.pagination import PageRequest
from studio_service.adapters.outbound.persistence.models import jobs, outbox_event
from studio_service.domain.jobs import Job, JobOutput, JobQueued, JobStatus

_UNFINISHED = [JobStatus.QUEUED.value, JobStatus.RUNNING.value]


def _outputs(raw: list[dict[str, Any]]) -> list[JobOutput]:
    return [
        JobOutput(uuid.UUID(item["media_id"]), uuid.UUID(item["asset_id"]), item["kind"], item["filename"])
        for item in raw
    ]


def job_of(row: Any) -> Job:
    return Job(
        id=row.id,
        owner_id=row.owner_id,
        project_id=row.project_id,
        type=row.type,
        parameters=row.parameters,
        price=row.price,
        status=JobStatus(row.status),
        progress=row.progress,
        error=row.error,
        outputs=_outputs(row.outputs),
        cancel_requested=row.cancel_requested,
        deadline_at=row.deadline_at,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class SqlaJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: Job, idempotency_key: str, fingerprint: str) -> bool:
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    insert(jobs).values(
                        id=job.id,
                        owner_id=job.owner_id,
                        project_id=job.project_id,
                        type=job.type,
                        status=job.status.value,
                        progress=0,
                        parameters=job.parameters,
                        price=job.price,
                        outputs=[],
                        cancel_requested=False,
                        idempotency_key=idempotency_key,
                        fingerprint=fingerprint,
                        deadline_at=job.deadline_at,
                        created_at=job.created_at,
                    )
                )
        except IntegrityError as exc:
            if "idempotency_key" in violated_constraint(exc):
                return False
            raise
        return True

    async def by_idempotency_key(self, owner_id: uuid.UUID, key: str) -> tuple[Job, str] | None:
        row = (
            await self._session.execute(select(jobs).where(jobs.c.owner_id == owner_id, jobs.c.idempotency_key == key))
        ).first()
        return (job_of(row), row.fingerprint) if row else None

    async def get(self, job_id: uuid.UUID) -> Job | None:
        row = (await self._session.execute(select(jobs).where(jobs.c.id == job_id))).first()
        return job_of(row) if row else None

    async def page(
        self,
        owner_id: uuid.UUID | None,
        project_id: uuid.UUID | None,
        status: JobStatus | None,
        job_type: str | None,
        page: PageRequest,
    ) -> tuple[list[Job], int]:
        conditions = []
        if owner_id is not None:
            conditions.append(jobs.c.owner_id == owner_id)
        if project_id is not None:
            conditions.append(jobs.c.project_id == project_id)
        if status is not None:
            conditions.append(jobs.c.status == status.value)
        if job_type is not None:
            conditions.append(jobs.c.type == job_type)
        total = (await self._session.execute(select(func.count()).select_from(jobs).where(*conditions))).scalar()
        rows = await self._session.execute(
            select(jobs)
            .where(*conditions)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return [job_of(row) for row in rows], int(total or 0)

    async def transition(
        self, job_id: uuid.UUID, expected: Sequence[JobStatus], new: JobStatus, **values: Any
    ) -> Job | None:
        row = (
            await self._session.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.status.in_([status.value for status in expected]))
                .values(status=new.value, **values)
                .returning(*jobs.c)
            )
        ).first()
        return job_of(row) if row else None

    async def request_cancel(self, job_id: uuid.UUID) -> bool:
        result = await self._session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == JobStatus.RUNNING.value)
            .values(cancel_requested=True)
        )
        return bool(result.rowcount)

    async def report(self, job_id: uuid.UUID, progress: int) -> tuple[JobStatus, bool, datetime | None] | None:
        row = (
            await self._session.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.status == JobStatus.RUNNING.value)
                .values(progress=progress)
                .returning(jobs.c.status, jobs.c.cancel_requested, jobs.c.deadline_at)
            )
        ).first()
        if row is None:
            row = (
                await self._session.execute(
                    select(jobs.c.status, jobs.c.cancel_requested, jobs.c.deadline_at).where(jobs.c.id == job_id)
                )
            ).first()
        return None if row is None else (JobStatus(row.status), bool(row.cancel_requested), row.deadline_at)

    async def finish(self, job_id: uuid.UUID, outputs: Sequence[JobOutput]) -> Job | None:
        stored = [
            {"media_id": str(o.media_id), "asset_id": str(o.asset_id), "kind": o.kind, "filename": o.filename}
            for o in outputs
        ]
        return await self.transition(
            job_id,
            [JobStatus.RUNNING],
            JobStatus.SUCCEEDED,
            progress=100,
            outputs=stored,
            finished_at=datetime.now(UTC),
        )

    async def overdue(self, now: datetime, limit: int) -> list[uuid.UUID]:
        rows = await self._session.execute(
            select(jobs.c.id).where(jobs.c.status.in_(_UNFINISHED), jobs.c.deadline_at < now).limit(limit)
        )
        return [row.id for row in rows]


class OutboxJobQueue:
    """Dispatch through studiodb's outbox: the relay publishes studio.job.queued after commit."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(self, job_id: uuid.UUID) -> None:
        await record_event(self._session, outbox_event, JobQueued(job_id=str(job_id)))
