"""The Dockerfile and its build context, checked statically (no container engine runs here)."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys

from deploy import catalog
from tests.support.servers import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def stages() -> dict[str, str]:
    """Stage name -> its instructions."""
    parts = re.split(r"^FROM\s+\S+\s+AS\s+(\w+)\s*$", DOCKERFILE, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_multi_stage_build_installs_exactly_the_lock_with_uv() -> None:
    build = stages()["build"]
    assert "uv sync --frozen --no-dev --no-install-project" in build  # dependencies cached apart from the code
    assert "uv sync --frozen --no-dev" in build
    assert list(stages()) == ["build", "runtime"]


def test_the_final_stage_has_no_build_tools_and_runs_as_an_unprivileged_user() -> None:
    runtime = stages()["runtime"]
    assert not re.search(r"\b(uv|gcc|build-essential|apt-get install)\b", runtime.replace("/app/.venv", ""))
    assert "pip uninstall" in runtime
    user = re.findall(r"^USER\s+(\S+)", runtime, re.MULTILINE)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .* CMD \[\"python\", \"-m\", \"deploy.healthcheck\"\]", runtime, re.MULTILINE)


def test_each_process_of_the_platform_is_a_command_of_the_image() -> None:
    assert 'CMD ["python", "-m", "main_service.main"]' in DOCKERFILE
    for service in catalog.SERVICES:
        assert any(module in DOCKERFILE for module in service.modules), service.name
    assert "python -m deploy.migrate" in DOCKERFILE


def allowed(path: str) -> bool:
    """The .dockerignore allow-list, evaluated as docker does for these simple patterns (last match wins)."""
    verdict = True
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.removeprefix("!").rstrip("/")
        if pattern == "*" or fnmatch.fnmatch(path, pattern) or path.startswith(f"{pattern}/"):
            verdict = negate
        if pattern.startswith("**/") and fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern[3:]):
            verdict = negate
    return verdict


def test_everything_the_image_copies_is_in_the_build_context_and_secrets_are_not() -> None:
    for instruction in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, re.MULTILINE):
        *sources, _ = instruction.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert allowed(source), source
    for kept_out in (
        "deploy/env/prod.env",
        "deploy/secrets/auth_signing_key.pem",
        ".git/config",
        "data/main.db",
        ".venv/bin/python",
        "tests/conftest.py",
        "deploy/dev.py",
    ):
        assert not allowed(kept_out), kept_out


def test_the_healthcheck_passes_without_a_url_and_fails_on_a_dead_one() -> None:
    command = [sys.executable, "-m", "deploy.healthcheck"]
    assert subprocess.run(command, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}).returncode == 0
    dead = {"PATH": "/usr/bin:/bin", "HEALTHCHECK_URL": "http://127.0.0.1:9/health"}
    assert subprocess.run(command, cwd=ROOT, env=dead, capture_output=True).returncode == 1
