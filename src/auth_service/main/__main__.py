"""python -m auth_service.main: serve auth_service with uvicorn (port 3002 unless AUTH_HTTP_PORT says otherwise)."""

from __future__ import annotations

import uvicorn

from auth_service.main.app import create_http_app
from auth_service.main.settings import AuthServiceSettings
from qhitz_shared.http.observability import configure_logging


def main() -> None:
    settings = AuthServiceSettings.from_env()
    configure_logging("auth_service", level=settings.app.log_level, json=settings.app.log_json)
    uvicorn.run(
        create_http_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        log_config=None,
        proxy_headers=True,
        # client addresses (per-IP rate limits) come from X-Forwarded-For only when the peer is trusted:
        # FORWARDED_ALLOW_IPS names the proxies (uvicorn's default: 127.0.0.1)
        forwarded_allow_ips=None,
    )


if __name__ == "__main__":
    main()
