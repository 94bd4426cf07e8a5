"""Creating, reading and canceling jobs. Creation is idempotent per owner and Idempotency-Key; the price is held
from the balance in the transaction that writes the job and its dispatch."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from qhitz_shared.errors import PermissionDeniedError
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal, user_of
from studio_service.domain.credits import EntryKind
from studio_service.domain.errors import (
    IdempotencyKeyReused,
    InsufficientCredits,
    JobFinished,
    JobNotFound,
    ProjectArchived,
    UnknownJobType,
)
from studio_service.domain.jobs import (
    Job,
    JobParameters,
    JobStatus,
    JobTypes,
    normalised_parameters,
    request_fingerprint,
)
from studio_service.domain.permissions import can_read, can_write, scope_owner
from studio_service.domain.projects import ProjectStatus
from studio_service.ports.repositories import CreditLedger, JobQueue, JobRepository, ProjectRepository
from studio_service.services.projects import visible_project


@dataclass(frozen=True, slots=True)
class Created:
    job: Job
    replayed: bool  # the same key and body came before: this is the first request's job


class JobService:
    def __init__(
        self,
        jobs: JobRepository,
        projects: ProjectRepository,
        ledger: CreditLedger,
        queue: JobQueue,
        types: JobTypes,
        uow: UnitOfWork,
    ) -> None:
        self._jobs = jobs
        self._projects = projects
        self._ledger = ledger
        self._queue = queue
        self._types = types
        self._uow = uow

    async def create(
        self,
        actor: Principal,
        idempotency_key: str,
        project_id: uuid.UUID,
        job_type: str,
        given: JobParameters,
    ) -> Created:
        """Raises UnknownJobType / InvalidJobParameters (422), ProjectNotFound (404), IdempotencyKeyReused (409),
        InsufficientCredits (402)."""
        actor = user_of(actor)
        kind = self._types.get(job_type)
        if kind is None:
            raise UnknownJobType(f"Job types: {', '.join(sorted(self._types))}", field="type")
        parameters = normalised_parameters(kind.rule, given)
        fingerprint = request_fingerprint(project_id, job_type, parameters)
        earlier = await self._replay(actor.user_id, idempotency_key, fingerprint)
        if earlier is not None:
            return earlier
        project = await visible_project(self._projects, actor, project_id)
        if project.owner_id != actor.user_id:
            raise PermissionDeniedError("Jobs run on your own projects")
        if project.status == ProjectStatus.ARCHIVED:
            raise ProjectArchived("An archived project takes no new jobs")
        now = datetime.now(UTC)
        job = Job(
            id=new_id(),
            owner_id=actor.user_id,
            project_id=project_id,
            type=job_type,
            parameters=parameters,
            price=kind.price,
            deadline_at=now + timedelta(seconds=kind.deadline_seconds),
            created_at=now,
        )
        try:
            if not await self._jobs.add(job, idempotency_key, fingerprint):
                await self._uow.rollback()  # a concurrent request with this key won
                earlier = await self._replay(actor.user_id, idempotency_key, fingerprint)
                if earlier is None:  # pragma: no cover - the winner's row is committed before our insert failed
                    raise IdempotencyKeyReused("Retry the request")
                return earlier
            if kind.price and not await self._ledger.hold(actor.user_id, kind.price, job.id):
                raise InsufficientCredits(
                    f"The job costs {kind.price} credits", price=kind.price, balance=(await self._balance(actor))
                )
            await self._queue.enqueue(job.id)
            await self._uow.commit()
        finally:
            await self._uow.rollback()
        return Created(job, replayed=False)

    async def _balance(self, actor: Principal) -> int:
        return (await self._ledger.balance(actor.user_id)).available

    async def _replay(self, owner_id: uuid.UUID, key: str, fingerprint: str) -> Created | None:
        found = await self._jobs.by_idempotency_key(owner_id, key)
        if found is None:
            return None
        job, earlier = found
        if earlier != fingerprint:
            raise IdempotencyKeyReused("This Idempotency-Key was used with another request body")
        return Created(job, replayed=True)

    async def get(self, actor: Principal, job_id: uuid.UUID) -> Job:
        job = await self._jobs.get(job_id)
        if job is None or not can_read(user_of(actor), job.owner_id):
            raise JobNotFound(f"No job with id {job_id}")
        return job

    async def page(
        self,
        actor: Principal,
        owner_id: uuid.UUID | None,
        project_id: uuid.UUID | None,
        status: JobStatus | None,
        job_type: str | None,
        page: PageRequest,
    ) -> tuple[list[Job], int]:
        return await self._jobs.page(scope_owner(user_of(actor), owner_id), project_id, status, job_type, page)

    async def cancel(self, actor: Principal, job_id: uuid.UUID) -> Job:
        """A queued job is canceled at once and its hold released; a running one is flagged (the worker stops
        at its next step and releases); a finished one is JobFinished (409)."""
        job = await self.get(actor, job_id)
        if not can_write(actor, job.owner_id):
            raise PermissionDeniedError("Requires the permission studio:write:any", required=["studio:write:any"])
        try:
            canceled = await self._jobs.transition(
                job_id, [JobStatus.QUEUED], JobStatus.CANCELED, error="canceled", finished_at=datetime.now(UTC)
            )
            if canceled is not None:
                await self._ledger.settle(job_id, EntryKind.RELEASE)
                await self._uow.commit()
                return canceled
            flagged = await self._jobs.request_cancel(job_id)
            await self._uow.commit()
        finally:
            await self._uow.rollback()
        job = await self.get(actor, job_id)
        if not flagged:
            raise JobFinished(f"The job has {job.status}")
        return job
