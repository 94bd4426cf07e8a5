"""`make bench` runs every bench/*.py with its defaults: each must be a benchmark that needs no argument
(helpers such as the baseline servers live in bench/apps/), documented by its --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda path: path.name)
def test_every_benchmark_runs_without_arguments_and_explains_itself(script: Path):
    source = script.read_text()
    assert "uv run python bench/" + script.name in source, "the docstring shows how to run it"
    helped = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0, helped.stderr
    assert "usage:" in helped.stdout
    assert "required" not in helped.stdout and "positional arguments" not in helped.stdout, helped.stdout


def test_the_password_reset_timing_bench_runs_small_and_finds_one_answer_for_every_address():
    """Smoke mode: a few requests (timings that few are noise; the full run reports the ratio)."""
    script = BENCH / "password_reset_timing.py"
    done = subprocess.run(
        [sys.executable, str(script), "--requests", "6", "--pause-ms", "5"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"answers_identical": true' in done.stdout
    assert '"status": 202' in done.stdout
