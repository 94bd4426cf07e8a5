"""What studio_service runs beside its requests: the deadline sweep, and the outbox relay where it belongs."""

from __future__ import annotations

import structlog
from dishka import AsyncContainer

from qhitz_shared.amqp.settings import AmqpSettings
from qhitz_shared.background import PeriodicLoop
from qhitz_shared.service import Background
from studio_service.main.settings import JobSettings
from studio_service.services.runner import DeadlineService

log = structlog.get_logger(__name__)


class DeadlineSweeper(PeriodicLoop):
    """Every ``interval`` seconds, fail the jobs past their deadline and release their holds. Several processes may
    sweep: the conditional updates let one of them end each job."""

    task_name = "studio-deadline-sweep"

    def __init__(self, container: AsyncContainer, interval: float) -> None:
        super().__init__(interval)
        self._container = container

    async def run_once(self) -> None:
        async with self._container() as request:
            expired = await (await request.get(DeadlineService)).expire()
        if expired:
            log.info("jobs_expired", count=expired)


def http_background(container: AsyncContainer, jobs: JobSettings, amqp: AmqpSettings) -> list[Background]:
    """The sweep; the relay too without a broker (jobs then run in this process) or with relay_in_http."""
    tasks: list[Background] = [DeadlineSweeper(container, jobs.sweep_interval_seconds)]
    if jobs.relay_in_http or not amqp.url:
        tasks.append(jobs.relay_runner(container))
    return tasks
