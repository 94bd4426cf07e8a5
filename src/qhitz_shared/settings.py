"""Environment-driven settings: one small msgspec Struct per concern, each with its own prefix."""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from typing import TypeVar

import msgspec

T = TypeVar("T", bound=msgspec.Struct)

_WEAK_SECRETS = {"", "secret", "changeme", "change-me", "password", "dev", "development", "test"}


def from_env(cls: type[T], prefix: str, environ: Mapping[str, str] | None = None, /, **defaults: object) -> T:
    """Build ``cls`` from ``PREFIX_FIELD`` variables; missing ones take ``defaults``, then the Struct's own.

    Lists and tuples are read as comma-separated values.
    """
    env = os.environ if environ is None else environ
    hints = typing.get_type_hints(cls)
    data: dict[str, object] = dict(defaults)
    for field in msgspec.structs.fields(cls):
        key = f"{prefix}{field.name.upper()}"
        if key not in env:
            continue
        raw = env[key]
        origin = typing.get_origin(hints[field.name])
        data[field.name] = [part.strip() for part in raw.split(",") if part.strip()] if origin in (list, tuple) else raw
    try:
        return msgspec.convert(data, cls, strict=False)
    except msgspec.ValidationError as exc:
        raise SystemExit(f"invalid configuration for {prefix}*: {exc}") from exc


class AppSettings(msgspec.Struct, frozen=True):
    """APP_*: the run mode and where local state lives."""

    env: str = "development"
    data_dir: str = "data"
    log_level: str = "INFO"
    log_json: bool = True

    @property
    def is_production(self) -> bool:
        return self.env == "production"


class HttpSettings(msgspec.Struct, frozen=True):
    """HTTP_*: the listening socket and browser access."""

    host: str = "127.0.0.1"
    port: int = 0
    cors_origins: list[str] = msgspec.field(default_factory=list)


def database_password_check(app: AppSettings, name: str, url: str) -> None:
    """A database URL with a default password is refused in production like any other weak secret."""
    from urllib.parse import urlsplit

    password = urlsplit(url.split("+", 1)[-1] if "://" in url else url).password
    if password is not None:
        refuse_weak_secret(app, f"the password in {name}", password, min_length=12)


def refuse_weak_secret(app: AppSettings, name: str, value: str, *, min_length: int = 24) -> None:
    """Outside development a default or short secret stops the process before it serves anything."""
    if app.is_production and (value.lower() in _WEAK_SECRETS or len(value) < min_length):
        raise SystemExit(f"{name} is a default or weak secret; set a random value of at least {min_length} characters")
