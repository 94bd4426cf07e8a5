"""Running one job: claim it, generate, upload the outputs, then capture (success) or release (failure, cancel)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import structlog

from qhitz_shared.ids import new_id
from qhitz_shared.ports import UnitOfWork
from studio_service.domain.credits import EntryKind
from studio_service.domain.jobs import Job, JobOutput, JobStatus, JobStopped
from studio_service.domain.projects import Asset
from studio_service.ports.generators import GeneratedFile, Generator
from studio_service.ports.medias import MediaUploader
from studio_service.ports.repositories import AssetRepository, CreditLedger, JobRepository

log = structlog.get_logger(__name__)


class Generators(dict[str, Generator]):
    """The generator of each job type."""


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__


class JobRunner:
    """The worker's use case (and the HTTP process's without a broker). ``run`` claims the job with one conditional
    update (queued → running): a canceled job never starts, and a second delivery of its message finds it running
    or finished and does nothing. Between steps the generator's progress report learns of a cancel request or a
    passed deadline and stops the job; every ending settles the hold once."""

    def __init__(
        self,
        jobs: JobRepository,
        ledger: CreditLedger,
        assets: AssetRepository,
        uploader: MediaUploader,
        generators: Generators,
        uow: UnitOfWork,
        work_dir: str | None = None,
    ) -> None:
        self._jobs = jobs
        self._ledger = ledger
        self._assets = assets
        self._uploader = uploader
        self._generators = generators
        self._uow = uow
        self._work_dir = work_dir

    async def run(self, job_id: uuid.UUID) -> JobStatus | None:
        """The job's final status, or None when it was not queued (canceled before, or claimed already)."""
        job = await self._jobs.transition(job_id, [JobStatus.QUEUED], JobStatus.RUNNING, started_at=datetime.now(UTC))
        await self._uow.commit()
        if job is None:
            log.info("job_not_claimed", job_id=str(job_id))
            return None
        workdir = Path(tempfile.mkdtemp(prefix="studio-job-", dir=self._work_dir))
        try:
            await self._check(job.id, 0)
            generator = self._generators[job.type]
            files = await generator.generate(
                job.id, job.parameters, lambda percent: self._check(job.id, percent), workdir
            )
            outputs = []
            for number, file in enumerate(files):
                await self._check(job.id, 90 + number * 9 // max(len(files), 1))
                outputs.append(await self._upload(job, file))
            return await self._succeed(job, outputs)
        except JobStopped as stop:
            return await self._end(job.id, stop.status, stop.reason)
        except Exception as exc:  # the job failed; its hold goes back and the error is shown to its owner
            log.warning("job_failed", job_id=str(job.id), error=repr(exc))
            return await self._end(job.id, JobStatus.FAILED, describe(exc))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    async def _check(self, job_id: uuid.UUID, percent: int) -> None:
        state = await self._jobs.report(job_id, max(0, min(percent, 99)))
        await self._uow.commit()
        if state is None or state[0] != JobStatus.RUNNING:
            raise JobStopped(state[0] if state else JobStatus.FAILED, "the job was ended elsewhere")
        _, cancel_requested, deadline_at = state
        if cancel_requested:
            raise JobStopped(JobStatus.CANCELED, "canceled")
        if deadline_at is not None and datetime.now(UTC) > deadline_at:
            raise JobStopped(JobStatus.FAILED, "deadline exceeded")

    async def _upload(self, job: Job, file: GeneratedFile) -> JobOutput:
        title = f"{job.type} {str(job.id)[:8]}"
        media_id = await self._uploader.upload(job.owner_id, file.path, file.filename, title)
        return JobOutput(media_id=media_id, asset_id=new_id(), kind=file.kind.value, filename=file.filename)

    async def _succeed(self, job: Job, outputs: list[JobOutput]) -> JobStatus | None:
        try:
            done = await self._jobs.finish(job.id, outputs)
            if done is None:  # ended meanwhile (deadline sweep): that ending settled the hold
                return None
            for output in outputs:
                await self._assets.add(
                    Asset(
                        id=output.asset_id,
                        project_id=job.project_id,
                        media_id=output.media_id,
                        kind=output.kind,  # type: ignore[arg-type]
                        metadata={"job_type": job.type, "filename": output.filename},
                        derived_from_job=job.id,
                    )
                )
            await self._ledger.settle(job.id, EntryKind.CAPTURE)
            await self._uow.commit()
        finally:
            await self._uow.rollback()
        return JobStatus.SUCCEEDED

    async def _end(self, job_id: uuid.UUID, status: JobStatus, reason: str) -> JobStatus | None:
        await self._uow.rollback()
        try:
            ended = await self._jobs.transition(
                job_id, [JobStatus.RUNNING], status, error=reason, finished_at=datetime.now(UTC)
            )
            if ended is None:
                return None
            await self._ledger.settle(job_id, EntryKind.RELEASE)
            await self._uow.commit()
        finally:
            await self._uow.rollback()
        log.info("job_ended", job_id=str(job_id), status=status.value, reason=reason)
        return status


class DeadlineService:
    """Fails queued or running jobs past their deadline and releases their holds (a worker that died mid-job
    leaves its job running: this ends it)."""

    def __init__(self, jobs: JobRepository, ledger: CreditLedger, uow: UnitOfWork) -> None:
        self._jobs = jobs
        self._ledger = ledger
        self._uow = uow

    async def expire(self, limit: int = 100) -> int:
        now = datetime.now(UTC)
        expired = 0
        for job_id in await self._jobs.overdue(now, limit):
            try:
                ended = await self._jobs.transition(
                    job_id,
                    [JobStatus.QUEUED, JobStatus.RUNNING],
                    JobStatus.FAILED,
                    error="deadline exceeded",
                    finished_at=now,
                )
                if ended is not None:
                    await self._ledger.settle(job_id, EntryKind.RELEASE)
                    expired += 1
                await self._uow.commit()
            finally:
                await self._uow.rollback()
        return expired
