import msgspec
import pytest

from qhitz_shared.settings import AppSettings, HttpSettings, database_password_check, from_env, refuse_weak_secret


def test_from_env_reads_prefixed_variables_with_defaults():
    http = from_env(
        HttpSettings, "X_HTTP_", {"X_HTTP_PORT": "8080", "X_HTTP_CORS_ORIGINS": "a.example, b.example"}, port=1
    )
    assert http == HttpSettings(port=8080, cors_origins=["a.example", "b.example"])
    assert from_env(HttpSettings, "X_HTTP_", {}, port=3000).port == 3000


def test_from_env_refuses_bad_values():
    with pytest.raises(SystemExit, match="X_HTTP_"):
        from_env(HttpSettings, "X_HTTP_", {"X_HTTP_PORT": "eighty"})


def test_weak_secrets_stop_production_but_not_development():
    production = AppSettings(env="production")
    for weak in ("", "changeme", "change-me", "short"):
        with pytest.raises(SystemExit):
            refuse_weak_secret(production, "SECRET", weak)
    refuse_weak_secret(production, "SECRET", "x" * 32)
    refuse_weak_secret(AppSettings(env="development"), "SECRET", "changeme")
    with pytest.raises(SystemExit):
        database_password_check(production, "DB_URL", "postgresql+asyncpg://qhitz:postgres@db/maindb")
    database_password_check(production, "DB_URL", "postgresql+asyncpg://qhitz:Zt7-long-random-pass@db/maindb")
    assert msgspec.structs.fields(AppSettings)
