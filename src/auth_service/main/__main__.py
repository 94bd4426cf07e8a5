"""python -m auth_service.main: serve auth_service with uvicorn (port 3002 unless AUTH_HTTP_PORT says otherwise)."""

from __future__ import annotations

from auth_service.main.app import create_http_app
from auth_service.main.settings import AuthServiceSettings
from qhitz_shared.http.serve import serve


def main() -> None:
    settings = AuthServiceSettings.from_env()
    serve("auth_service", settings.app, settings.http, lambda: create_http_app(settings))


if __name__ == "__main__":
    main()
