"""auth_service while main_service's database is out (refused, or silently hanging): logging in answers 503
dependency_unavailable within seconds instead of a 500 or a minute's wait, and works again once it is back; a
password reset is refused alike for every address (not answered 202 and lost), and mailed once it is back."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.databases import PG_SERVER
from tests.support.mailbox import smtp_server
from tests.support.outages import DB_TIMEOUTS, pg_target, until_ok
from tests.support.platform import register, run_platform
from tests.support.proxy import TcpProxy


@pytest.mark.parametrize("outage", ["refused", "hanging"])
async def test_login_during_an_outage_behind_main_service_is_503_and_recovers(
    outage: str, main_db_url: str, tmp_path: Path
) -> None:
    main_env = {f"MAIN_{key}": value for key, value in DB_TIMEOUTS.items()}
    with (
        TcpProxy(*pg_target(PG_SERVER)) as proxy,
        run_platform(proxy.url(main_db_url), tmp_path, main_env=main_env) as platform,
    ):
        async with httpx.AsyncClient(base_url=platform.auth_url, timeout=30) as auth:
            account = await register(auth)
            form = {"username": account["email"], "password": account["password"]}
            assert (await auth.post("/api/v1/auth/token", data=form)).status_code == 200

            proxy.cut() if outage == "refused" else proxy.hang()
            started = time.monotonic()
            response = await auth.post("/api/v1/auth/token", data=form)
            assert time.monotonic() - started < 5
            assert response.status_code == 503, response.text
            assert response.json()["code"] == "dependency_unavailable"

            proxy.restore()
            await until_ok(lambda: auth.post("/api/v1/auth/token", data=form))


async def test_a_password_reset_during_an_outage_is_refused_alike_not_lost(mail_db_url: str, tmp_path: Path) -> None:
    with (
        smtp_server() as mailbox,
        TcpProxy(*pg_target(PG_SERVER)) as proxy,
        run_platform(
            proxy.url(mail_db_url),
            tmp_path,
            main_env={
                **{f"MAIN_{key}": value for key, value in DB_TIMEOUTS.items()},
                **mailbox.env(),
                "MAIL_RELAY_POLL_SECONDS": "0.05",
            },
        ) as platform,
    ):
        async with httpx.AsyncClient(base_url=platform.auth_url, timeout=30) as auth:
            account = await register(auth)
            mailbox.wait_for(account["email"], 1)  # the verification mail

            proxy.cut()
            answers = []
            for email in (account["email"], f"nobody-{account['email']}"):
                started = time.monotonic()
                answers.append(await auth.post("/api/v1/auth/password-reset", json={"email": email}))
                assert time.monotonic() - started < 5
            assert [(a.status_code, a.json()["code"]) for a in answers] == [(503, "dependency_unavailable")] * 2

            proxy.restore()
            reset = {"email": account["email"]}
            await until_ok(lambda: auth.post("/api/v1/auth/password-reset", json=reset), status=202)
            mails = mailbox.wait_for(account["email"], 2)
            assert mails[1]["Subject"] == "Reset your Qhitz password"
