"""Benchmark (not a test): generation jobs per second through studio_service's queue, with the no-op generator.

    uv run python bench/studio_jobs.py [--jobs 300] [--rounds 3] [--concurrency 8]

A throw-away studiodb (PostgreSQL, like the tests). Each round creates ``--jobs`` noop jobs (seconds 0) through
the JobService use case (job row, credit hold and outbox row in one transaction) as fast as one client can, and
times from the first creation until every job has succeeded (its hold captured). Two paths, alternated:

- queue: STUDIO_AMQP_URL set; the worker runs as its own process (python -m studio_service.main.worker, relay and
  consumer, STUDIO_JOBS_CONCURRENCY = --concurrency); RabbitMQ on 127.0.0.1:5672 under a prefix of its own;
- in-process (the baseline, as under make dev): no broker; the relay hands each event to a task in this process.

A warm-up round of 5 jobs per path is not counted. Reported: jobs per second per round, the medians, and
queue / in-process. Results go to bench/results/studio_jobs.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

import asyncpg  # noqa: E402

from qhitz_shared.amqp.topology import Topology  # noqa: E402
from qhitz_shared.ports import UnitOfWork  # noqa: E402
from qhitz_shared.principal import Principal  # noqa: E402
from studio_service.domain.credits import EntryKind  # noqa: E402
from studio_service.domain.jobs import JobParameters  # noqa: E402
from studio_service.domain.projects import ProjectStatus  # noqa: E402
from studio_service.main.app import make_container  # noqa: E402
from studio_service.main.settings import StudioSettings  # noqa: E402
from studio_service.ports.repositories import CreditLedger  # noqa: E402
from studio_service.services.jobs import JobService  # noqa: E402
from studio_service.services.projects import ProjectService  # noqa: E402
from tests.support import databases  # noqa: E402
from tests.support.brokers import delete_topology  # noqa: E402

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def environment(db_url: str, concurrency: int, prefix: str, broker: bool) -> dict[str, str]:
    return {
        "STUDIO_DB_URL": db_url,
        "STUDIO_JOBS_TYPES": "noop",
        "STUDIO_JOBS_CONCURRENCY": str(concurrency),
        "STUDIO_JOBS_RELAY_POLL_SECONDS": "0.02",
        "STUDIO_JOBS_SWEEP_INTERVAL_SECONDS": "0",
        "STUDIO_AMQP_URL": AMQP_URL if broker else "",
        "STUDIO_AMQP_PREFIX": prefix,
        "STUDIO_AMQP_PREFETCH": str(concurrency * 2),
        "AMQP_URL": "",
        "REVOCATION_TRANSPORT": "poll",
        "APP_LOG_LEVEL": "WARNING",
        "APP_LOG_JSON": "true",
    }


async def seed(container, user: uuid.UUID, credits: int) -> uuid.UUID:
    actor = Principal(subject=str(user), permissions=frozenset({"studio:use"}))
    async with container() as request:
        ledger, uow = await request.get(CreditLedger), await request.get(UnitOfWork)
        await ledger.grant(user, credits, EntryKind.PROMOTION, note="bench")
        await uow.commit()
    async with container() as request:
        project = await (await request.get(ProjectService)).create(actor, "bench", "", ProjectStatus.ACTIVE)
    return project.id


async def one_round(settings: StudioSettings, jobs: int, *, in_process: bool) -> float:
    container = make_container(settings)
    relay = settings.jobs.relay_runner(container) if in_process else None
    try:
        user = uuid.uuid4()
        project = await seed(container, user, jobs)
        actor = Principal(subject=str(user), permissions=frozenset({"studio:use"}))
        if relay is not None:
            await relay.start()
        started = time.perf_counter()
        for _ in range(jobs):
            async with container() as request:
                service = await request.get(JobService)
                await service.create(actor, uuid.uuid4().hex, project, "noop", JobParameters(seconds=0))
        url = settings.db.url.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(url)
        try:
            query = "SELECT count(*) FROM jobs WHERE owner_id = $1 AND status = 'succeeded'"
            while await connection.fetchval(query, user) < jobs:
                if time.perf_counter() - started > 600:
                    raise TimeoutError("jobs did not finish within 10 minutes")
                await asyncio.sleep(0.01)
        finally:
            await connection.close()
        return jobs / (time.perf_counter() - started)
    finally:
        if relay is not None:
            await relay.stop()
        await container.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=300, help="jobs per round (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per path, alternated (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="jobs at once in the worker (default 8)")
    args = parser.parse_args()
    prefix = f"qhitz-bench-studio-{uuid.uuid4().hex[:8]}"
    results: dict[str, list[float]] = {"queue": [], "in_process": []}
    with databases.migrated("studio", "bench_studio") as db_url:
        queue_env = environment(db_url, args.concurrency, prefix, broker=True)
        worker = subprocess.Popen(
            [sys.executable, "-m", "studio_service.main.worker"],
            cwd=ROOT,
            env={**os.environ, **queue_env, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.DEVNULL,
        )
        try:
            for path in ("queue", "in_process"):  # warm-up, not counted: the worker connects and declares
                env = environment(db_url, args.concurrency, prefix, broker=path == "queue")
                asyncio.run(one_round(StudioSettings.from_env(env), 5, in_process=path != "queue"))
            for number in range(args.rounds):
                for path in ("queue", "in_process"):
                    env = environment(db_url, args.concurrency, prefix, broker=path == "queue")
                    rate = asyncio.run(one_round(StudioSettings.from_env(env), args.jobs, in_process=path != "queue"))
                    results[path].append(round(rate, 1))
                    print(f"round {number + 1} {path:>10}: {rate:8.1f} jobs/s", flush=True)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
            asyncio.run(delete_topology(AMQP_URL, Topology(prefix, work="jobs")))
    medians = {path: statistics.median(rates) for path, rates in results.items()}
    summary = {
        "jobs_per_round": args.jobs,
        "concurrency": args.concurrency,
        "rounds": results,
        "median_jobs_per_second": medians,
        "queue_vs_in_process": round(medians["queue"] / medians["in_process"], 2),
    }
    print(json.dumps(summary, indent=2))
    out = ROOT / "bench" / "results" / "studio_jobs.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
