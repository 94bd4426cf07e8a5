"""The README's commands and configuration reference, and the Makefile's targets (dry runs: no docker here)."""

from __future__ import annotations

import ast
import os
import re
import subprocess

import pytest

from deploy import catalog, configref, errorref
from tests.support.servers import ROOT

README = (ROOT / "README.md").read_text()
TARGETS = [
    "help", "install", "dev", "test", "lint", "fmt", "build", "up", "down", "logs", "ps", "migrate", "migration",
    "db-main", "db-medias", "create-admin", "bench", "clean", "config-reference", "error-reference",
]  # fmt: skip


def make(*args: str, **env: str) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_the_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[:2] for line in first_block] == [["make", "dev"], ["make", "test"]]


def test_the_configuration_reference_is_generated_from_the_current_settings() -> None:
    assert configref.current() == configref.section(), "the README is out of date: run `make config-reference`"


def test_the_error_code_list_is_generated_from_the_current_code() -> None:
    assert errorref.current() == errorref.section(), "the README is out of date: run `make error-reference`"
    listed = {entry.code for entry in errorref.codes()}
    assert {"wrong_current_password", "cannot_change_self", "media_not_found", "range_not_satisfiable"} <= listed


def test_every_error_code_written_in_the_source_is_listed() -> None:
    """A guard for the next code: any class-level ``code = "..."`` in src, imported or not, is in the list."""
    written = set()
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    targets = statement.targets if isinstance(statement, ast.Assign) else []
                    if [getattr(t, "id", None) for t in targets] == ["code"] and isinstance(
                        statement.value, ast.Constant
                    ):
                        written.add(statement.value.value)
    listed = {entry.code for entry in errorref.codes()}
    assert sorted(written - listed - {"error"}) == []  # "error": AppError's own, never answered as such


def test_every_variable_any_service_reads_is_documented() -> None:
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", README, re.MULTILINE))
    read = set(catalog.variables()) | {extra.name for extra in catalog.EXTRA_VARIABLES}
    assert sorted(read - documented) == []


def test_make_help_lists_every_target() -> None:
    listed = re.findall(r"^\s+(?:\x1b\[36m)?([a-z-]+)", make("help"), re.MULTILINE)
    assert sorted(set(TARGETS) - set(listed)) == []
    for target in TARGETS:
        assert f"`{target}`" in README or target in ("help", "config-reference"), target


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["up"], "docker compose -f docker-compose.yml up -d --build"),
        (["up", "STACK=prod"], "docker compose --env-file deploy/env/prod.env -f docker-compose.prod.yml up -d"),
        (["down"], "docker compose -f docker-compose.yml down"),
        (["logs", "SERVICE=auth"], "docker compose -f docker-compose.yml logs -f --tail=200 auth"),
        (["ps", "STACK=prod"], "docker compose --env-file deploy/env/prod.env -f docker-compose.prod.yml ps"),
        (["build"], "docker build -t qhitz:latest ."),
        (["dev"], "run --frozen python -m deploy.dev"),
        (["migrate"], "run --frozen python -m deploy.migrate"),
        (["migration", "SERVICE=medias", "MSG=x"], 'alembic -n medias revision --autogenerate -m "x"'),
        (["db-main"], "psql"),
        (["test"], "run --frozen pytest"),
    ],
)
def test_targets_run_the_documented_commands(args: list[str], expected: str) -> None:
    assert expected in make("-n", *args)


def test_database_targets_use_the_configured_url_or_the_compose_database() -> None:
    script = make("-n", "db-medias")
    url = "postgresql+asyncpg://someone:pw@db.example:5439/medias"
    shown = subprocess.run(["bash", "-c", script.replace("psql ", "echo ")], env={**os.environ, "MEDIAS_DB_URL": url},
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert shown.strip() == "postgresql://someone:pw@db.example:5439/medias"
    env = {key: value for key, value in os.environ.items() if key != "MEDIAS_DB_URL"}
    shown = subprocess.run(["bash", "-c", script.replace("psql ", "echo ")], env=env,
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert shown.strip() == "postgresql://qhitz:qhitz@127.0.0.1:5433/mediasdb"
