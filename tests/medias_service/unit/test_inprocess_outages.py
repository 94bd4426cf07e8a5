"""Processing without a broker (make dev) follows the worker's rule: runs stopped by an outage spend no attempt."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec

from medias_service.adapters.inbound.inprocess import InProcessProcessing
from medias_service.domain.processing import RetryPolicy
from qhitz_shared.outbox.events import OutgoingEvent

VERSION = uuid.uuid4()
FAST = RetryPolicy(max_attempts=3, base_delay_seconds=0.001, max_delay_seconds=0.001)


class FlakyPipeline:
    """Fails with ``errors`` in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls: list[str] = []

    async def run(self, version_id: uuid.UUID) -> None:
        self.calls.append("run")
        if self.errors:
            raise self.errors.pop(0)

    async def postpone(self, version_id: uuid.UUID) -> None:
        self.calls.append("postpone")

    async def give_up(self, version_id: uuid.UUID, error: str, *, attempts: int) -> None:
        self.calls.append(f"give_up after {attempts}")


class Container:
    """Just enough of a dishka container: every request scope hands out the same pipeline."""

    def __init__(self, pipeline: FlakyPipeline) -> None:
        self.pipeline = pipeline

    def __call__(self) -> contextlib.AbstractAsyncContextManager[Any]:
        @contextlib.asynccontextmanager
        async def scope() -> AsyncIterator[Any]:
            yield self

        return scope()

    async def get(self, _: type) -> FlakyPipeline:
        return self.pipeline


async def process(pipeline: FlakyPipeline) -> None:
    local = InProcessProcessing(Container(pipeline), FAST, concurrency=1)  # type: ignore[arg-type]
    body = msgspec.json.encode({"media_id": str(uuid.uuid4()), "version_id": str(VERSION)})
    await local.deliver(OutgoingEvent(uuid.uuid4(), "media.version.created", body))
    for task in list(local._tasks):
        await task


async def test_an_outage_longer_than_every_attempt_ends_in_a_processed_version() -> None:
    pipeline = FlakyPipeline(*(ConnectionRefusedError(111, "refused") for _ in range(10)))
    await process(pipeline)
    assert pipeline.calls == ["run"] * 11  # ten runs stopped by the outage, then the first real attempt succeeds


async def test_real_failures_still_count_and_end_in_give_up() -> None:
    pipeline = FlakyPipeline(TimeoutError(), RuntimeError("a"), RuntimeError("b"), RuntimeError("c"))
    await process(pipeline)
    assert pipeline.calls == ["run", "run", "postpone", "run", "postpone", "run", "give_up after 3"]
