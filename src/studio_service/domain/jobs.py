"""Generation jobs: the status machine, the parameters each type takes, and the events that dispatch them.

queued → running → succeeded | failed, and canceled (from queued at once; from running once the worker sees the
request at its next step). Terminal states never change. The job row is the truth: every transition is one
conditional update on the expected status, so a canceled job never starts and a message delivered twice never
runs a job twice.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from qhitz_shared.text import clean_text
from studio_service.domain.errors import InvalidJobParameters

MAX_PROMPT = 2000
MAX_SECONDS = 30
MAX_IDEMPOTENCY_KEY = 200


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED})

JOB_QUEUED = "studio.job.queued"
WORK_EVENTS = (JOB_QUEUED,)


@dataclass(frozen=True, slots=True)
class JobQueued:
    """The event that puts a job on the queue (through the outbox): only its id; the row says the rest."""

    job_id: str
    name: str = JOB_QUEUED


@dataclass(frozen=True, slots=True)
class JobOutput:
    media_id: uuid.UUID
    asset_id: uuid.UUID
    kind: str
    filename: str


@dataclass(slots=True)
class Job:
    id: uuid.UUID
    owner_id: uuid.UUID
    project_id: uuid.UUID
    type: str
    parameters: dict[str, Any]
    price: int
    status: JobStatus = JobStatus.QUEUED
    progress: int = 0
    error: str | None = None
    outputs: list[JobOutput] = field(default_factory=list)
    cancel_requested: bool = False
    deadline_at: datetime | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


@dataclass(frozen=True, slots=True)
class JobParameters:
    """What the local generators read. ``text``: the prompt, title or narration; ``seconds``: a title card's
    length; ``voice``: an espeak-ng voice name. A type says which it needs (``require_parameters``)."""

    text: str | None = None
    seconds: int | None = None
    voice: str | None = None


@dataclass(frozen=True, slots=True)
class ParameterRule:
    """A job type's needs: the text (and its limit), the duration bounds, whether a voice may be chosen."""

    text: bool = True
    seconds: bool = False
    voice: bool = False
    min_seconds: int = 1
    default_seconds: int = 3


def normalised_parameters(rule: ParameterRule, given: JobParameters) -> dict[str, Any]:
    """The parameters as stored: text in NFC and required when the type needs it; the rest checked and bounded.
    Raises InvalidJobParameters (422) naming the field."""
    out: dict[str, Any] = {}
    if rule.text:
        text = clean_text(given.text or "", field="text", max_length=MAX_PROMPT, multiline=True)
        if not text:
            raise InvalidJobParameters("parameters.text is required for this job type", field="text")
        out["text"] = text
    elif given.text is not None:
        raise InvalidJobParameters("this job type takes no text", field="text")
    if rule.seconds:
        seconds = rule.default_seconds if given.seconds is None else given.seconds
        if not rule.min_seconds <= seconds <= MAX_SECONDS:
            raise InvalidJobParameters(
                f"parameters.seconds is from {rule.min_seconds} to {MAX_SECONDS}", field="seconds"
            )
        out["seconds"] = seconds
    elif given.seconds is not None:
        raise InvalidJobParameters("this job type takes no seconds", field="seconds")
    if given.voice is not None:
        voice = clean_text(given.voice, field="voice", max_length=32)
        if not rule.voice or not voice.replace("-", "").replace("+", "").isalnum():
            raise InvalidJobParameters("parameters.voice is not accepted here", field="voice")
        out["voice"] = voice
    return out


def request_fingerprint(project_id: uuid.UUID, job_type: str, parameters: dict[str, Any]) -> str:
    """What makes two creations with one Idempotency-Key "the same request": the normalised body's SHA-256."""
    body = {"project_id": str(project_id), "type": job_type, "parameters": parameters}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


class JobStopped(Exception):
    """Raised by a progress report when the job must stop: canceled, or past its deadline."""

    def __init__(self, status: JobStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class JobType:
    """A type of job as configured: its price in credits, what parameters it takes, how long it may take."""

    name: str
    price: int
    rule: ParameterRule
    deadline_seconds: float


class JobTypes(dict[str, JobType]):
    """The job types this deployment offers, by name (prices from STUDIO_JOBS_PRICES)."""
