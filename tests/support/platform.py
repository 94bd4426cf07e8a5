"""main_service and auth_service served over real HTTP (uvicorn threads), wired to each other as in production."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import msgspec

from auth_service.main.app import create_http_app as create_auth_app
from auth_service.main.settings import AuthServiceSettings
from main_service.main.app import create_http_app as create_main_app
from main_service.main.app import make_container as make_main_container
from main_service.main.settings import MainSettings
from main_service.services.bootstrap import AdminBootstrap
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.tokens import SigningKey
from tests.support.servers import free_port, serve_app

REDIS_URL = "redis://127.0.0.1:6379/0"
CHEAP_ARGON2 = {"ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1"}
# main_service without an SMTP server writes its mail as .eml files: into the temporary folder, not the checkout
TEST_MAIL = {"MAIL_FILE_FOLDER": str(Path(tempfile.gettempdir()) / "qhitz-test-mail")}
GENEROUS_LIMITS = {
    f"AUTH_RATE_{rule}": "10000/minute"
    for rule in (
        "LOGIN_IP",
        "LOGIN_ACCOUNT_IP",
        "LOGIN_ACCOUNT",
        "REGISTER_IP",
        "REGISTER_ACCOUNT",
        "REFRESH_IP",
        "REFRESH_ACCOUNT",
        "PASSWORD_IP",
        "PASSWORD_ACCOUNT",
        "VERIFY_IP",
        "VERIFY_RESEND_ADDRESS",
        "RESET_IP",
        "RESET_ADDRESS",
        "RESET_CONFIRM_IP",
        "RESET_CONFIRM_ACCOUNT",
        "MFA_IP",
        "MFA_ACCOUNT",
        "API_KEY_EXCHANGE_IP",
    )
}


@dataclass
class Platform:
    main_url: str
    auth_url: str
    main_settings: MainSettings
    auth_settings: AuthServiceSettings
    data_dir: Path
    service_client: tuple[str, str]

    @property
    def jwt(self) -> JwtSettings:
        return self.main_settings.jwt

    def signing_key(self) -> SigningKey:
        """auth_service's current key, as it wrote it in its data folder (development mode)."""
        return SigningKey.from_file(self.data_dir / "auth" / "signing-key.pem")

    async def make_admin(self, email: str, password: str) -> None:
        container = make_main_container(self.main_settings)
        try:
            async with container() as request:
                await (await request.get(AdminBootstrap)).ensure_admin(email, None, password)
        finally:
            await container.close()


@contextmanager
def run_platform(
    main_db_url: str,
    data_dir: Path,
    auth_env: Mapping[str, str] | None = None,
    main_env: Mapping[str, str] | None = None,
) -> Iterator[Platform]:
    main_port, auth_port = free_port(), free_port()
    main_url, auth_url = f"http://127.0.0.1:{main_port}", f"http://127.0.0.1:{auth_port}"
    jwt = JwtSettings(
        jwks_url=f"{auth_url}/.well-known/jwks.json",
        token_url=f"{auth_url}/api/v1/auth/token",
        api_key_exchange_url=f"{auth_url}/api/v1/auth/api-keys/exchange",
        leeway_seconds=0,
    )
    main_settings = msgspec.structs.replace(
        # REDIS_URL as auth_service's: main publishes revocation events where auth listens
        MainSettings.from_env(
            {
                "MAIN_DB_URL": main_db_url,
                "REDIS_URL": REDIS_URL,
                "MAIL_FILE_FOLDER": str(data_dir / "mail"),  # without an SMTP server: .eml files
                **CHEAP_ARGON2,
                **(main_env or {}),
            }
        ),
        jwt=jwt,
    )
    client = ("medias_service", f"secret-{uuid.uuid4().hex}")
    auth_settings = AuthServiceSettings.from_env(
        {
            "APP_DATA_DIR": str(data_dir),
            "AUTH_MAIN_URL": main_url,
            "REDIS_URL": REDIS_URL,
            "AUTH_RATE_KEY_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:8]}",
            "AUTH_SERVICE_CLIENTS": f"{client[0]}:{client[1]}",
            "JWT_LEEWAY_SECONDS": "0",
            "AUTH_REFRESH_GRACE_SECONDS": "1",
            **CHEAP_ARGON2,
            **GENEROUS_LIMITS,
            **(auth_env or {}),
        }
    )
    # one JWT_* for every service, as in the deployments (auth_service waits on the JWKS URL main reads)
    auth_settings = msgspec.structs.replace(
        auth_settings,
        jwt=msgspec.structs.replace(
            auth_settings.jwt, jwks_url=jwt.jwks_url, api_key_exchange_url=jwt.api_key_exchange_url
        ),
    )
    with ExitStack() as stack:
        stack.enter_context(serve_app(create_main_app(main_settings), main_port))
        stack.enter_context(serve_app(create_auth_app(auth_settings), auth_port))
        yield Platform(main_url, auth_url, main_settings, auth_settings, data_dir, client)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def register(auth: httpx.AsyncClient, password: str = "Velvet-Orbit-Canyon-42", **extra: str) -> dict:
    suffix = uuid.uuid4().hex[:10]
    body = {"email": f"p{suffix}@example.com", "username": f"p{suffix}", "password": password, **extra}
    response = await auth.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    return {**body, **response.json()}
