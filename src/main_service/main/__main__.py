"""python -m main_service.main: serve main_service with uvicorn."""

from __future__ import annotations

from main_service.main.app import create_http_app
from main_service.main.settings import MainSettings
from qhitz_shared.http.serve import serve


def main() -> None:
    settings = MainSettings.from_env()
    serve("main_service", settings.app, settings.http, lambda: create_http_app(settings))


if __name__ == "__main__":
    main()
