"""python -m medias_service.main.cli purge-trash: purge media trashed past the retention, once (for cron)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from medias_service.main.app import make_container
from medias_service.main.purger import purge_once
from medias_service.main.settings import MediasSettings


async def purge_trash() -> int:
    container = make_container(MediasSettings.from_env())
    try:
        purged = await purge_once(container)
    finally:
        await container.close()
    print(f"purged {purged} media from the trash")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medias_service.main.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("purge-trash", help="purge expired trash (MEDIAS_TRASH_RETENTION_DAYS) and storage leftovers")
    parser.parse_args(argv)
    return asyncio.run(purge_trash())


if __name__ == "__main__":
    sys.exit(main())
