"""python -m studio_service.main.dlq inspect|requeue|purge: operate studio's parking queue (job messages the
broker dead-lettered: unreadable, or redelivered past the delivery limit), with the service's own settings
(STUDIO_AMQP_URL or AMQP_URL, STUDIO_AMQP_PREFIX). A requeued message only nudges its job: the worker runs it if it
is still queued."""

from __future__ import annotations

import sys

from qhitz_shared.amqp import dlq
from studio_service.main.providers import topology_of
from studio_service.main.settings import StudioSettings


def main(argv: list[str] | None = None) -> int:
    settings = StudioSettings.from_env()
    topology = topology_of(settings.amqp)
    return dlq.main("python -m studio_service.main.dlq", __doc__, settings.amqp.url, topology, "job_id", argv)


if __name__ == "__main__":
    sys.exit(main())
