"""python -m medias_service.main: serve medias_service with uvicorn."""

from __future__ import annotations

import uvicorn

from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from qhitz_shared.http.observability import configure_logging


def main() -> None:
    settings = MediasSettings.from_env()
    configure_logging("medias_service", level=settings.app.log_level, json=settings.app.log_json)
    uvicorn.run(
        create_http_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips="*",
    )


if __name__ == "__main__":
    main()
