"""python -m main_service.main.cli create-admin: create or promote the first admin (idempotent)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys

import structlog

from main_service.main.app import make_container
from main_service.main.settings import MainSettings
from main_service.services.bootstrap import AdminBootstrap, AdminOutcome
from qhitz_shared.errors import AppError


async def create_admin(email: str, username: str | None, password: str | None) -> int:
    container = make_container(MainSettings.from_env())
    try:
        async with container() as request:
            bootstrap = await request.get(AdminBootstrap)
            user, outcome = await bootstrap.ensure_admin(email, username, password)
    finally:
        await container.close()
    who = f"{user.email} ({user.username}, id {user.id})"
    print(
        {
            AdminOutcome.CREATED: f"created admin {who}",
            AdminOutcome.PROMOTED: f"promoted {who} to admin",
            AdminOutcome.UPDATED: f"{who} already was an admin; its password or status was updated",
            AdminOutcome.UNCHANGED: f"{who} already is an admin; nothing changed",
        }[outcome]
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m main_service.main.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create or promote an admin; safe to run again")
    admin.add_argument("--email", default=os.environ.get("ADMIN_EMAIL"), required="ADMIN_EMAIL" not in os.environ)
    admin.add_argument("--username", default=os.environ.get("ADMIN_USERNAME"))
    admin.add_argument("--password", help="read from ADMIN_PASSWORD, or prompted for when absent")
    args = parser.parse_args(argv)

    password = args.password or os.environ.get("ADMIN_PASSWORD")
    if not password and sys.stdin.isatty():
        password = getpass.getpass("Password for the admin (leave empty to keep an existing one): ") or None
    # stdout is the command's answer (scripts read it); the container's own logs go to stderr, warnings and up
    previous = structlog.get_config()
    structlog.configure(
        logger_factory=structlog.PrintLoggerFactory(_StandardError()),
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        cache_logger_on_first_use=False,
    )
    try:
        return asyncio.run(create_admin(args.email, args.username, password))
    except (AppError, ValueError) as exc:
        print(f"create-admin failed: {exc}", file=sys.stderr)
        return 2
    finally:
        structlog.configure(**previous)


class _StandardError:
    """``sys.stderr`` as it is when a line is written, not when logging was configured (a caller may swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
