"""Keys (dev generation, production refusal, rotation order), settings, the password policy, the memory limiter."""

from __future__ import annotations

import asyncio

import pytest

from auth_service.adapters.outbound.ratelimit.limits import LimitsRateLimiter, RateLimitSettings, open_storage
from auth_service.domain.errors import WeakPassword
from auth_service.domain.limits import RateRule
from auth_service.main.keys import load_key_ring, main, write_key
from auth_service.main.settings import AuthServiceSettings
from qhitz_shared.errors import RateLimitedError
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.settings import AppSettings
from qhitz_shared.tokens import public_keys_from_jwks


def test_development_generates_a_key_once(tmp_path) -> None:
    app = AppSettings(data_dir=str(tmp_path))
    first = load_key_ring([], app)
    second = load_key_ring([], app)
    assert first.current.kid == second.current.kid
    assert (tmp_path / "auth" / "signing-key.pem").stat().st_mode & 0o777 == 0o600


def test_production_refuses_missing_keys(tmp_path) -> None:
    app = AppSettings(env="production", data_dir=str(tmp_path))
    with pytest.raises(SystemExit, match="AUTH_SIGNING_KEYS"):
        load_key_ring([], app)
    with pytest.raises(SystemExit, match="cannot load"):
        load_key_ring([str(tmp_path / "absent.pem")], app)
    assert not (tmp_path / "auth").exists()


def test_configured_keys_newest_first_all_published(tmp_path) -> None:
    new, old = write_key(tmp_path / "new.pem"), write_key(tmp_path / "old.pem")
    ring = load_key_ring([str(tmp_path / "new.pem"), str(tmp_path / "old.pem")], AppSettings(env="production"))
    assert ring.current.kid == new.kid
    assert set(public_keys_from_jwks(ring.jwks())) == {new.kid, old.kid}


def test_key_generation_cli_never_overwrites(tmp_path, capsys) -> None:
    target = tmp_path / "k.pem"
    assert main(["generate", str(target)]) == 0
    before = target.read_bytes()
    assert main(["generate", str(target)]) == 2
    assert target.read_bytes() == before


def test_settings_from_env() -> None:
    settings = AuthServiceSettings.from_env(
        {
            "AUTH_SERVICE_CLIENTS": "medias_service:abc,ops:def:with-colon",
            "AUTH_ACCESS_TTL_SECONDS": "60",
            "AUTH_RATE_LOGIN_IP": "7 per 3 seconds",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert settings.auth.clients() == {"medias_service": "abc", "ops": "def:with-colon"}
    assert settings.tokens.access_ttl_seconds == 60
    assert settings.tokens.refresh_ttl_seconds == 7 * 24 * 3600
    assert settings.http.port == 3002
    assert settings.redis.url == "redis://127.0.0.1:6379/0"
    assert settings.rate_limits.rules()[RateRule.LOGIN_IP].amount == 7


@pytest.mark.parametrize(
    "environ",
    [
        {"APP_ENV": "production", "AUTH_SERVICE_CLIENTS": "medias_service:changeme"},
        {"APP_ENV": "production", "AUTH_SERVICE_CLIENTS": "medias_service:short-secret"},
        {"AUTH_SERVICE_CLIENTS": "no-secret-here"},
        {"AUTH_RATE_LOGIN_IP": "lots"},
    ],
)
def test_settings_refuse_bad_values(environ) -> None:
    with pytest.raises(SystemExit):
        AuthServiceSettings.from_env(environ)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "too_short"),
        ("y" * 129, "too_long"),
        ("Password123", "too_guessable"),
        ("xx-ada-Orbit-Canyon-42", "contains_personal_data"),
        ("xx-ADALOVELACE-Orbit-Canyon", "contains_personal_data"),
    ],
)
async def test_password_policy_refusals(password, reason) -> None:
    with pytest.raises(WeakPassword) as refused:
        await PasswordPolicy().check(password, email="adalovelace@example.com", username="ada")
    assert refused.value.extra["reason"] == reason


async def test_password_policy_accepts_strong_passwords_up_to_128() -> None:
    policy = PasswordPolicy()
    await policy.check("Velvet-Orbit-Canyon-42", email="a@example.com", username="someone")
    await policy.check("Qz7!kP2#vL9@" + "x" * 116, email="a@example.com", username="someone")


async def test_memory_limiter_triggers_and_releases() -> None:
    settings = RateLimitSettings(login_ip="2 per 1 second")
    async with open_storage(None) as storage:
        limiter = LimitsRateLimiter(storage, settings.rules(), key_prefix="unit")
        await limiter.hit(RateRule.LOGIN_IP, "1.2.3.4")
        await limiter.check(RateRule.LOGIN_IP, "1.2.3.4")  # a check does not count
        await limiter.hit(RateRule.LOGIN_IP, "1.2.3.4")
        with pytest.raises(RateLimitedError) as limited:
            await limiter.hit(RateRule.LOGIN_IP, "1.2.3.4")
        assert limited.value.retry_after == 1
        await limiter.hit(RateRule.LOGIN_IP, "5.6.7.8")  # another key has its own budget
        await asyncio.sleep(1.05)
        await limiter.hit(RateRule.LOGIN_IP, "1.2.3.4")


async def test_disabled_limits_count_nothing() -> None:
    async with open_storage(None) as storage:
        limiter = LimitsRateLimiter(storage, RateLimitSettings(enabled=False).rules(), key_prefix="unit")
        for _ in range(100):
            await limiter.hit(RateRule.LOGIN_ACCOUNT, "ada")
