"""Reading the compose files the way docker compose does, for what the tests check (no engine needed)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from deploy import catalog
from tests.support.servers import ROOT

FILES = {"dev": ROOT / "docker-compose.yml", "prod": ROOT / "docker-compose.prod.yml"}
# compose service -> the catalogue's service whose process it runs
APPLICATIONS = {
    "main": catalog.MAIN,
    "auth": catalog.AUTH,
    "medias": catalog.MEDIAS,
    "worker": catalog.WORKER,
    "dental": catalog.DENTAL,
    "chat": catalog.CHAT,
    "studio": catalog.STUDIO,
    "studio-worker": catalog.STUDIO_WORKER,
}
ASSIGNMENT = re.compile(r"^\s*(#\s*)?([A-Z][A-Z0-9_]*)=")


def load(kind: str) -> dict[str, Any]:
    return yaml.safe_load(FILES[kind].read_text())


def command_module(command: list[str]) -> str:
    """The module of ``python -m X``, also when wrapped as ``watchfiles … "python -m X" src``."""
    if command[0] == "watchfiles":
        command = shlex.split(next(part for part in command[1:] if part.startswith("python ")))
    assert command[:2] == ["python", "-m"], command
    return command[2]


def env_file_path(kind: str, entry: str | dict[str, Any]) -> Path:
    """The file behind an env_file entry; a secret file not in the repository is checked through its .example."""
    path = FILES[kind].parent / (entry if isinstance(entry, str) else entry["path"])
    return path if path.exists() else path.with_name(path.name + ".example")


@dataclass
class Environment:
    values: dict[str, str]  # set, from env_file lines and environment:
    unset: set[str]  # deliberately left unset: a commented `# NAME=` line in an env file


def environment(kind: str, service: dict[str, Any]) -> Environment:
    values: dict[str, str] = {}
    unset: set[str] = set()
    entries = service.get("env_file", [])
    for entry in [entries] if isinstance(entries, str | dict) else entries:
        for line in env_file_path(kind, entry).read_text().splitlines():
            match = ASSIGNMENT.match(line)
            if not match:
                continue
            if match.group(1):
                unset.add(match.group(2))
            else:
                values[match.group(2)] = line.split("=", 1)[1]
    declared = service.get("environment", {})
    if isinstance(declared, list):
        declared = dict(item.split("=", 1) for item in declared)
    values.update({key: str(value) for key, value in declared.items()})
    return Environment(values, unset - set(values))


def published(service: dict[str, Any]) -> list[str]:
    return [str(port) for port in service.get("ports", [])]
