"""python -m deploy.dev: the whole platform on this machine, each service its own process (what `make dev` runs).

Steps: migrate every database that exists (SQLite files under APP_DATA_DIR unless MAIN_DB_URL / MEDIAS_DB_URL are
set), make sure a first admin exists (ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password printed once), then
start main, auth and medias (and the worker when AMQP_URL is set) with their output interleaved and prefixed by
name. SIGINT or SIGTERM stops them all; so does any one of them exiting. Each gets the worker's graceful timeout
plus a margin (``stop_grace_seconds``, as in the compose files) to finish before it is killed, and a process killed
by a signal ends the runner with 128 + the signal's number, as a shell reports it.

The process supervision is honcho's (the Procfile runner): process groups, prefixed and coloured output, signal
handling and "one exits, all stop" are its well-worn parts, so this module only decides what to run and with which
environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import shlex
import signal
import sys
from collections.abc import Mapping

import honcho.manager
from honcho.manager import Manager
from honcho.printer import Printer

from deploy import catalog, migrate
from deploy.catalog import Service

# Embedded development defaults, used only when the variable is not set.
DEV_DEFAULTS = {"APP_ENV": "development", "APP_LOG_JSON": "false", "PYTHONUNBUFFERED": "1"}
DEFAULT_ADMIN_EMAIL = "admin@example.com"
STOPPED_BY_SIGNAL = {130, 143}  # honcho's return codes after SIGINT / SIGTERM
# After SIGTERM: the worker's graceful timeout for running jobs, then this long to hand back and close.
# The compose files' stop_grace_period is the same sum (tests/platform/test_stop_grace.py keeps them equal).
STOP_MARGIN_SECONDS = 15
WORKER_GRACE_VARIABLE = "AMQP_GRACEFUL_TIMEOUT_SECONDS"
# The interactive pages of main and medias log in through auth_service's token URL, another origin (port): auth
# must answer their browsers' CORS requests, so the runner lets the pages' own origins in unless this is set.
DOC_PAGE_CORS = "AUTH_HTTP_CORS_ORIGINS"


def say(message: str) -> None:
    print(f"dev    | {message}", flush=True)


def service_port(service: Service, env: Mapping[str, str]) -> int | None:
    variable = catalog.port_variable(service)
    if variable and env.get(variable):
        return int(env[variable])
    return service.port


def environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` plus the development defaults; addresses of the other services follow their port variables.

    A variable whose default names a service at its documented port (JWT_JWKS_URL names auth at 3002, say) is
    rewritten to the port actually configured, unless it is set explicitly.
    """
    env = {**DEV_DEFAULTS, **environ}
    known = catalog.variables()
    for service in catalog.available():
        port = service_port(service, env)
        if service.port is None or port == service.port:
            continue
        documented = f"127.0.0.1:{service.port}"
        for name, variable in known.items():
            if name not in environ and documented in variable.default:
                env[name] = variable.default.replace(documented, f"127.0.0.1:{port}")
    if DOC_PAGE_CORS not in environ:
        env[DOC_PAGE_CORS] = ",".join(doc_page_origins(env))
    return env


def doc_page_origins(env: Mapping[str, str]) -> list[str]:
    """The origins the services' OpenAPI pages are opened from on this machine (both loopback names)."""
    origins = []
    for service in catalog.available():
        port = service_port(service, env)
        if service.http and port and service is not catalog.AUTH:
            origins += [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    return origins


def service_clients(services: list[Service], env: dict[str, str]) -> dict[str, dict[str, str]]:
    """Development credentials for service tokens: each service that reads SERVICE_CLIENT_ID becomes a client of
    auth (AUTH_SERVICE_CLIENTS) with a secret made up for this run; set them yourself to choose them."""
    per_service: dict[str, dict[str, str]] = {service.name: {} for service in services}
    if "AUTH_SERVICE_CLIENTS" in env or "SERVICE_CLIENT_SECRET" in env:
        return per_service
    clients: dict[str, str] = {}  # a service's HTTP process and its worker share one client
    for service in services:
        if "SERVICE_CLIENT_ID" in catalog.service_variables(service):
            secret = clients.setdefault(service.package, secrets.token_urlsafe(32))
            per_service[service.name] = {"SERVICE_CLIENT_ID": service.package, "SERVICE_CLIENT_SECRET": secret}
    if clients:
        env["AUTH_SERVICE_CLIENTS"] = ",".join(f"{client}:{secret}" for client, secret in clients.items())
    return per_service


def selected(env: Mapping[str, str]) -> list[Service]:
    """Every service that exists (or those named in DEV_SERVICES); the worker only with a broker (AMQP_URL)."""
    wanted = {name.strip() for name in env.get("DEV_SERVICES", "").split(",") if name.strip()}
    chosen = []
    for service in catalog.available():
        if wanted and service.name not in wanted:
            continue
        if not service.http and not env.get("AMQP_URL"):
            say(f"{service.name} not started: no AMQP_URL, its jobs are handled in-process by {service.package}")
            continue
        chosen.append(service)
    return chosen


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def ensure_admin(env: Mapping[str, str]) -> None:
    """An existing admin is left alone; a missing one is created with ADMIN_PASSWORD or a generated password."""
    from main_service.main.cli import create_admin
    from qhitz_shared.errors import AppError

    email = env.get("ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL
    username = env.get("ADMIN_USERNAME")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            asyncio.run(create_admin(email, username, None))
        say(f"admin {email} is ready (its password is unchanged; `make create-admin` sets a new one)")
        return
    except ValueError:
        pass  # no such account yet: it needs a password
    except AppError as exc:
        raise SystemExit(f"could not check the first admin {email}: {exc}") from exc
    password = env.get("ADMIN_PASSWORD") or secrets.token_urlsafe(18)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            asyncio.run(create_admin(email, username, password))
    except (AppError, ValueError) as exc:
        raise SystemExit(f"could not create the first admin {email}: {exc}") from exc
    say(f"admin {email} created")
    if not env.get("ADMIN_PASSWORD"):
        say(f"admin password (shown once, set ADMIN_PASSWORD to choose it): {password}")


def prepare(services: list[Service], env: Mapping[str, str]) -> None:
    """Migrations and the first admin, in this process: the settings they load read os.environ."""
    os.environ.update(env)
    say("applying migrations")
    migrate.main([])
    if catalog.MAIN in services:
        ensure_admin(env)


def stop_grace_seconds(env: Mapping[str, str]) -> float:
    """How long a process may take to stop after SIGTERM before it is killed: the worker's graceful timeout (its
    running jobs finish; in-flight uploads get as long) plus STOP_MARGIN_SECONDS."""
    known = catalog.variables().get(WORKER_GRACE_VARIABLE)
    worker = env.get(WORKER_GRACE_VARIABLE) or (known.default if known else "60")
    return float(worker) + STOP_MARGIN_SECONDS


def exit_code(returncode: int | None) -> int:
    """0 after our own SIGINT/SIGTERM; 128 + N for a process killed by signal N (honcho reports it as -N, which
    make showed as "Error 241" for SIGTERM); otherwise the first process's exit code."""
    if returncode in STOPPED_BY_SIGNAL:
        return 0
    if returncode is not None and returncode < 0:
        say(f"stopped: a process was killed by {signal.Signals(-returncode).name}")
        return 128 - returncode
    return int(returncode or 0)


def supervise(services: list[Service], env: dict[str, str]) -> int:
    # honcho reads its SIGTERM-to-SIGKILL wait (5 s) from this module constant; it takes no parameter.
    honcho.manager.KILL_WAIT = stop_grace_seconds(env)  # type: ignore[attr-defined]
    if sys.stdout.isatty() and not env.get("NO_COLOR"):
        env = {**env, "FORCE_COLOR": "1"}  # the children write to a pipe: colour only because a person watches
    manager = Manager(Printer(sys.stdout))
    own = service_clients(services, env)
    for service in services:
        module = service.module
        assert module is not None
        command = f"exec {shlex.join(python('-m', module))}"
        manager.add_process(service.name, command, env={**env, **own[service.name]}, cwd=str(catalog.ROOT))
        port = service_port(service, env)
        if service.http and port:
            say(f"{service.package} on http://127.0.0.1:{port} (OpenAPI at /schema)")
    manager.loop()
    return exit_code(manager.returncode)


def main() -> int:
    env = environment(os.environ)
    services = selected(env)
    if not services:
        say("nothing to run")
        return 1
    prepare(services, env)
    return supervise(services, env)


if __name__ == "__main__":
    sys.exit(main())
