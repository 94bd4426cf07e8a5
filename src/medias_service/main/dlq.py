"""python -m medias_service.main.dlq inspect|requeue|purge: operate the parking queue (the dead letters of media
processing), with the service's own settings (AMQP_URL, AMQP_PREFIX, MEDIAS_PROCESSING_*)."""

from __future__ import annotations

import sys

from medias_service.main.processing import topology_of
from medias_service.main.settings import MediasSettings
from qhitz_shared.amqp import dlq


def main(argv: list[str] | None = None) -> int:
    settings = MediasSettings.from_env()
    topology = topology_of(settings.amqp, settings.processing)
    return dlq.main("python -m medias_service.main.dlq", __doc__, settings.amqp.url, topology, "version_id", argv)


if __name__ == "__main__":
    sys.exit(main())
