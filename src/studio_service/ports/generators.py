"""The generator port: one adapter per job type (local ones, or a remote provider), chosen by the job's type."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from studio_service.domain.jobs import ParameterRule
from studio_service.domain.projects import AssetKind

# Report progress (0-100) and learn whether to go on: raises JobStopped when the job was canceled or is past its
# deadline. Generators call it between steps; a step itself is not interrupted.
Progress = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    path: Path
    filename: str
    kind: AssetKind


class Generator(Protocol):
    """Makes a job's outputs as files in ``workdir`` (removed after the job). Blocking work runs off the loop.
    ``job_id`` names the job to a remote provider (and in its callbacks)."""

    rule: ParameterRule

    async def generate(
        self, job_id: uuid.UUID, parameters: dict[str, Any], progress: Progress, workdir: Path
    ) -> list[GeneratedFile]: ...


@dataclass(frozen=True, slots=True)
class RemoteResult:
    """What a remote provider's last signed callback said about a job."""

    status: str  # running, succeeded, failed
    progress: int
    output_url: str | None
    error: str | None


class RemoteResults(Protocol):
    """Callbacks of remote providers, recorded by the HTTP process and read by the generator waiting on them."""

    async def record(self, job_id: uuid.UUID, result: RemoteResult) -> None:
        """Keep the newest word on the job; a terminal one (succeeded, failed) is never replaced."""
        ...

    async def get(self, job_id: uuid.UUID) -> RemoteResult | None: ...
