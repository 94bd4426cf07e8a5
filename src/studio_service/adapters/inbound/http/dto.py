"""Request and response bodies of the studio API (snake_case JSON), bounded at the boundary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec

from qhitz_shared.http.inputs import Opaque, Text
from studio_service.domain.billing import Offer, Subscription
from studio_service.domain.credits import Balance, EntryKind, LedgerEntry
from studio_service.domain.jobs import MAX_PROMPT, MAX_SECONDS, Job, JobStatus
from studio_service.domain.projects import (
    MAX_DESCRIPTION,
    MAX_METADATA_KEY,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE,
    MAX_NAME,
    Asset,
    AssetKind,
    Project,
    ProjectStatus,
)

MAX_CREDITS = 10_000_000
# Keys and values are checked by the domain (NFC, no control characters: 422); here only their size is bounded,
# as Litestar's document cannot state the rules of a mapping's keys and values.
Metadata = Annotated[
    dict[Opaque(MAX_METADATA_KEY), Opaque(MAX_METADATA_VALUE) | bool | None],
    msgspec.Meta(max_length=MAX_METADATA_KEYS),
]


class ProjectIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Text(MAX_NAME, min_length=1)
    description: Text(MAX_DESCRIPTION) = ""
    status: ProjectStatus = ProjectStatus.DRAFT


class ProjectPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Text(MAX_NAME, min_length=1) | msgspec.UnsetType = msgspec.UNSET
    description: Text(MAX_DESCRIPTION) | msgspec.UnsetType = msgspec.UNSET
    status: ProjectStatus | msgspec.UnsetType = msgspec.UNSET


class ProjectOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    name: str
    description: str
    status: ProjectStatus
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, project: Project) -> ProjectOut:
        return cls(
            project.id,
            project.owner_id,
            project.name,
            project.description,
            project.status,
            project.created_at,
            project.updated_at,
        )


class AssetIn(msgspec.Struct, forbid_unknown_fields=True):
    media_id: uuid.UUID
    kind: AssetKind = AssetKind.OTHER
    metadata: Metadata = msgspec.field(default_factory=dict)
    derived_from_job: uuid.UUID | None = None
    derived_from_asset: uuid.UUID | None = None


class AssetOut(msgspec.Struct):
    id: uuid.UUID
    project_id: uuid.UUID
    media_id: uuid.UUID
    kind: AssetKind
    metadata: dict[str, Any]
    derived_from_job: uuid.UUID | None
    derived_from_asset: uuid.UUID | None
    created_at: datetime | None

    @classmethod
    def of(cls, asset: Asset) -> AssetOut:
        return cls(
            asset.id,
            asset.project_id,
            asset.media_id,
            asset.kind,
            asset.metadata,
            asset.derived_from_job,
            asset.derived_from_asset,
            asset.created_at,
        )


class BalanceOut(msgspec.Struct):
    user_id: uuid.UUID
    available: int
    held: int

    @classmethod
    def of(cls, balance: Balance) -> BalanceOut:
        return cls(balance.user_id, balance.available, balance.held)


class LedgerEntryOut(msgspec.Struct):
    id: uuid.UUID
    kind: EntryKind
    amount: int
    balance_after: int
    job_id: uuid.UUID | None
    reference: str | None
    note: str
    created_at: datetime

    @classmethod
    def of(cls, entry: LedgerEntry) -> LedgerEntryOut:
        return cls(
            entry.id,
            entry.kind,
            entry.amount,
            entry.balance_after,
            entry.job_id,
            entry.reference,
            entry.note,
            entry.created_at,
        )


class AdjustmentIn(msgspec.Struct, forbid_unknown_fields=True):
    user_id: uuid.UUID
    amount: Annotated[int, msgspec.Meta(ge=-MAX_CREDITS, le=MAX_CREDITS)]
    kind: EntryKind = EntryKind.ADJUSTMENT
    note: Text(500) = ""


class CheckoutIn(msgspec.Struct, forbid_unknown_fields=True):
    offer: Text(64, min_length=1, normalised=False)


class CheckoutOut(msgspec.Struct):
    url: str


class OfferOut(msgspec.Struct):
    code: str
    kind: str
    credits: int

    @classmethod
    def of(cls, offer: Offer) -> OfferOut:
        return cls(offer.code, offer.kind.value, offer.credits)


class SubscriptionOut(msgspec.Struct):
    plan: str | None
    status: str
    subscription_id: str | None = None
    current_period_end: datetime | None = None

    @classmethod
    def of(cls, subscription: Subscription | None) -> SubscriptionOut:
        if subscription is None:
            return cls(plan=None, status="none")
        return cls(
            subscription.plan, subscription.status, subscription.subscription_id, subscription.current_period_end
        )


class JobParametersIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Text(MAX_PROMPT) | None = None
    seconds: Annotated[int, msgspec.Meta(gt=-1, le=MAX_SECONDS)] | None = None  # gt: Litestar drops a ge of 0
    voice: Text(32, normalised=False) | None = None


class JobIn(msgspec.Struct, forbid_unknown_fields=True):
    project_id: uuid.UUID
    type: Text(32, min_length=1, normalised=False)
    parameters: JobParametersIn = msgspec.field(default_factory=JobParametersIn)


class JobOutputOut(msgspec.Struct):
    media_id: uuid.UUID
    asset_id: uuid.UUID
    kind: str
    filename: str


class JobOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    project_id: uuid.UUID
    type: str
    status: JobStatus
    progress: int
    price: int
    parameters: dict[str, Any]
    error: str | None
    outputs: list[JobOutputOut]
    cancel_requested: bool
    deadline_at: datetime | None
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            owner_id=job.owner_id,
            project_id=job.project_id,
            type=job.type,
            status=job.status,
            progress=job.progress,
            price=job.price,
            parameters=job.parameters,
            error=job.error,
            outputs=[JobOutputOut(o.media_id, o.asset_id, o.kind, o.filename) for o in job.outputs],
            cancel_requested=job.cancel_requested,
            deadline_at=job.deadline_at,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )
