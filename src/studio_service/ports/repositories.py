"""Storage of projects, assets, the credit ledger, jobs and billing state (PostgreSQL, or SQLite in make dev)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from qhitz_shared.pagination import PageRequest
from studio_service.domain.billing import Subscription
from studio_service.domain.credits import Balance, EntryKind, LedgerEntry
from studio_service.domain.jobs import Job, JobOutput, JobStatus
from studio_service.domain.projects import Asset, Project, ProjectStatus


class ProjectRepository(Protocol):
    async def add(self, project: Project) -> None: ...

    async def get(self, project_id: uuid.UUID, *, lock: bool = False) -> Project | None: ...

    async def save(self, project: Project) -> None: ...

    async def page(
        self,
        owner_id: uuid.UUID | None,
        status: ProjectStatus | None,
        q: str | None,
        page: PageRequest,
    ) -> tuple[list[Project], int]:
        """Newest first; ``owner_id`` None: everyone's; ``q`` searches name and description."""
        ...


class AssetRepository(Protocol):
    async def add(self, asset: Asset) -> None: ...

    async def get(self, project_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None: ...

    async def remove(self, asset_id: uuid.UUID) -> None: ...

    async def page(self, project_id: uuid.UUID, page: PageRequest) -> tuple[list[Asset], int]: ...


class CreditLedger(Protocol):
    """Every method adds one ledger row and changes the account row in the caller's transaction."""

    async def hold(self, user_id: uuid.UUID, amount: int, job_id: uuid.UUID) -> bool:
        """Take ``amount`` from the balance if it covers it (one conditional UPDATE): False when short."""
        ...

    async def settle(self, job_id: uuid.UUID, kind: EntryKind) -> bool:
        """Capture or release the job's hold, once: False when it is settled already or there is none."""
        ...

    async def grant(
        self, user_id: uuid.UUID, amount: int, kind: EntryKind, *, reference: str | None = None, note: str = ""
    ) -> bool:
        """Add ``amount`` (negative for an adjustment) unless it would make the balance negative (False then).
        A ``reference`` (a Stripe event, invoice or session id) is granted once: a repeat returns True, changes
        nothing."""
        ...

    async def balance(self, user_id: uuid.UUID) -> Balance: ...

    async def history(self, user_id: uuid.UUID, page: PageRequest) -> tuple[list[LedgerEntry], int]: ...


class JobRepository(Protocol):
    async def add(self, job: Job, idempotency_key: str, fingerprint: str) -> bool:
        """False when the owner used ``idempotency_key`` already (nothing written)."""
        ...

    async def by_idempotency_key(self, owner_id: uuid.UUID, key: str) -> tuple[Job, str] | None:
        """The job created with this key and the fingerprint of its request."""
        ...

    async def get(self, job_id: uuid.UUID) -> Job | None: ...

    async def page(
        self,
        owner_id: uuid.UUID | None,
        project_id: uuid.UUID | None,
        status: JobStatus | None,
        job_type: str | None,
        page: PageRequest,
    ) -> tuple[list[Job], int]: ...

    async def transition(
        self, job_id: uuid.UUID, expected: Sequence[JobStatus], new: JobStatus, **values: Any
    ) -> Job | None:
        """One conditional UPDATE: the job moves to ``new`` (with ``values``) only from an ``expected`` status;
        None when it was not in one."""
        ...

    async def request_cancel(self, job_id: uuid.UUID) -> bool:
        """Flag a running job for cancellation; False when it is not running."""
        ...

    async def report(self, job_id: uuid.UUID, progress: int) -> tuple[JobStatus, bool, datetime | None] | None:
        """Record progress of a running job; returns (status, cancel_requested, deadline_at)."""
        ...

    async def finish(self, job_id: uuid.UUID, outputs: Sequence[JobOutput]) -> Job | None:
        """running → succeeded with its outputs, progress 100; None when it is no longer running."""
        ...

    async def overdue(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Queued or running jobs past their deadline."""
        ...


class JobQueue(Protocol):
    async def enqueue(self, job_id: uuid.UUID) -> None:
        """Record the job's dispatch in the caller's transaction (the outbox); delivered after commit."""
        ...


class BillingStore(Protocol):
    async def first_time(self, event_id: str, event_type: str) -> bool:
        """Record a Stripe event id; False when it was recorded before (a duplicate delivery)."""
        ...

    async def subscription(self, subscription_id: str, *, lock: bool = False) -> Subscription | None: ...

    async def save_subscription(self, subscription: Subscription) -> None: ...

    async def current(self, user_id: uuid.UUID) -> Subscription | None:
        """The user's most recently updated subscription, ended or not."""
        ...
