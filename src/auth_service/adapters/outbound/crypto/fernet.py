"""FernetSecretBox and the MFA key configuration: keys from AUTH_MFA_ENCRYPTION_KEYS, newest first (rotation: add
the new key first; secrets encrypted with an older one still open). In development a key is generated under the
data folder on first start; outside development a missing, malformed or weak key stops the start."""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

import msgspec
import structlog
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from qhitz_shared.settings import AppSettings

log = structlog.get_logger(__name__)

DEV_KEY = "auth/mfa-key"
MIN_DISTINCT_BYTES = 16  # a random 32-byte key has about 30; "aaaa…" or a short repeated pattern has few


class MfaSettings(msgspec.Struct, frozen=True):
    """AUTH_MFA_*: TOTP. encryption_keys: Fernet keys (comma-separated, newest first; generate one with
    ``python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'``), empty in
    development only (a key is generated under APP_DATA_DIR); issuer: the name authenticator apps show;
    challenge_ttl_seconds: how long the second login step may wait."""

    encryption_keys: list[str] = msgspec.field(default_factory=list)
    issuer: str = "Qhitz"
    challenge_ttl_seconds: int = 300


class FernetSecretBox:
    def __init__(self, keys: list[bytes]) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("no configured AUTH_MFA_ENCRYPTION_KEYS key opens this secret") from exc


def check_key(key: str) -> bytes:
    """A Fernet key (32 random bytes, URL-safe base64); raises SystemExit naming what is wrong."""
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise SystemExit("AUTH_MFA_ENCRYPTION_KEYS: each key is 32 bytes in URL-safe base64 (Fernet.generate_key())")
    if len(set(raw)) < MIN_DISTINCT_BYTES:
        raise SystemExit("AUTH_MFA_ENCRYPTION_KEYS holds a weak key: generate one with Fernet.generate_key()")
    return key.encode()


def load_secret_box(keys: list[str], app: AppSettings) -> FernetSecretBox:
    if keys:
        return FernetSecretBox([check_key(key) for key in keys])
    if app.env != "development":
        raise SystemExit("AUTH_MFA_ENCRYPTION_KEYS is empty: outside development TOTP secrets need a configured key")
    path = Path(app.data_dir) / DEV_KEY
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process of this machine made it first
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
            log.warning("mfa_key_generated", path=str(path))
    return FernetSecretBox([check_key(path.read_text().strip())])
