"""python -m medias_service.main: serve medias_service with uvicorn."""

from __future__ import annotations

from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from qhitz_shared.http.serve import serve


def main() -> None:
    settings = MediasSettings.from_env()
    serve("medias_service", settings.app, settings.http, lambda: create_http_app(settings))


if __name__ == "__main__":
    main()
