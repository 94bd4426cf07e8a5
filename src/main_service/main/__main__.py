"""python -m main_service.main: serve main_service with uvicorn."""

from __future__ import annotations

import uvicorn

from main_service.main.app import create_http_app
from main_service.main.settings import MainSettings
from qhitz_shared.http.observability import configure_logging


def main() -> None:
    settings = MainSettings.from_env()
    configure_logging("main_service", level=settings.app.log_level, json=settings.app.log_json)
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
