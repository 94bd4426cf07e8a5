"""The generator port: one adapter per job type (local ones, or a remote provider), chosen by the job's type."""

from __future__ import annotations

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
    """Makes a job's outputs as files in ``workdir`` (removed after the job). Blocking work runs off the loop."""

    rule: ParameterRule

    async def generate(self, parameters: dict[str, Any], progress: Progress, workdir: Path) -> list[GeneratedFile]: ...
