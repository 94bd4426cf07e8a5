"""studio_service's domain errors, each with a stable code (statuses: qhitz_shared's table, plus main/app.py's)."""

from __future__ import annotations

from qhitz_shared.errors import AppError, ConflictError, InvalidInputError, NotFoundError


class ProjectNotFound(NotFoundError):
    code = "project_not_found"
    title = "Project not found"


class AssetNotFound(NotFoundError):
    code = "asset_not_found"
    title = "Asset not found"


class MediaNotReadable(NotFoundError):
    code = "media_not_found"
    title = "No media you can read has this id"


class JobNotFound(NotFoundError):
    code = "job_not_found"
    title = "Job not found"


class ProjectArchived(ConflictError):
    code = "project_archived"
    title = "The project is archived"


class JobFinished(ConflictError):
    code = "job_finished"
    title = "The job has finished; it can no longer be canceled"


class IdempotencyKeyReused(ConflictError):
    code = "idempotency_key_reused"
    title = "This Idempotency-Key was used with another request body"


class InsufficientCredits(AppError):
    """402: the balance does not cover the price (or an adjustment would take it below zero)."""

    code = "insufficient_credits"
    title = "Not enough credits"


class UnknownJobType(InvalidInputError):
    code = "unknown_job_type"
    title = "No generator of this job type is configured"


class InvalidJobParameters(InvalidInputError):
    code = "invalid_job_parameters"
    title = "The parameters do not fit the job type"


class UnknownOffer(InvalidInputError):
    code = "unknown_offer"
    title = "No plan or credit pack has this code"


class BillingNotConfigured(AppError):
    """503: STRIPE_SECRET_KEY (checkout) or STRIPE_WEBHOOK_SECRET (webhook) is not set."""

    code = "billing_not_configured"
    title = "Billing is not configured"


class InvalidSignature(AppError):
    """400: a webhook whose signature is missing, wrong or older than the tolerance."""

    code = "invalid_signature"
    title = "The webhook signature is missing, invalid or stale"


class RemoteNotConfigured(NotFoundError):
    """404: no remote provider is configured here (STUDIO_REMOTE_WEBHOOK_SECRET unset), so there is nothing to call
    back and no callback could be trusted."""

    code = "remote_not_configured"
    title = "No remote generation provider is configured"
