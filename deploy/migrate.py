"""python -m deploy.migrate [SECTION ...]: upgrade every database of the platform to head.

Each database is a section of alembic.ini (``[main]``, ``[medias]``) whose migrations folder exists; the URL comes
from the service's own settings (MAIN_DB_URL, MEDIAS_DB_URL), so the same command serves SQLite under `make dev`,
the compose databases and production.
"""

from __future__ import annotations

import argparse
import configparser
import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[1]
ALEMBIC_INI = ROOT / "alembic.ini"


def databases(ini: Path = ALEMBIC_INI) -> list[str]:
    """The alembic.ini sections that name a migrations folder present in the tree, in file order."""
    parser = configparser.ConfigParser(defaults={"here": str(ini.parent)})
    parser.read(ini)
    found = []
    for section in parser.sections():
        location = parser.get(section, "script_location", fallback=None)
        if location and (Path(location) / "env.py").is_file():
            found.append(section)
    return found


def upgrade(section: str, revision: str = "head") -> None:
    command.upgrade(Config(str(ALEMBIC_INI), ini_section=section), revision)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.migrate", description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", help="alembic.ini sections to upgrade (default: every database)")
    args = parser.parse_args(argv)
    known = databases()
    unknown = sorted(set(args.sections) - set(known))
    if unknown:
        parser.error(f"no migrations for {', '.join(unknown)}; known: {', '.join(known)}")
    # SQLite databases (the development default) live in the data folder, which may not exist yet
    Path(os.environ.get("APP_DATA_DIR", "data")).mkdir(parents=True, exist_ok=True)
    for section in args.sections or known:
        print(f"migrating {section} to head", flush=True)
        upgrade(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
