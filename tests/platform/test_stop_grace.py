"""Stopping agrees everywhere: make dev's runner and both compose files give a process the worker's graceful timeout
plus the same margin before SIGKILL; a process killed by a signal is reported as a shell does; logs written to a
file carry no colour codes. (No ports: the runner's behaviour with real processes is in test_dev_runner.py.)"""

from __future__ import annotations

import io
import re
import signal
import sys

import pytest

from deploy import catalog
from deploy.dev import STOP_MARGIN_SECONDS, exit_code, stop_grace_seconds
from qhitz_shared.http.observability import colours_wanted
from tests.platform import compose


def seconds(period: str) -> float:
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", period)
    assert match and period, period
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def test_the_runner_waits_the_workers_graceful_timeout_plus_a_margin() -> None:
    """It SIGKILLed 5 s after SIGTERM, cutting in-flight uploads and the worker's 60 s grace."""
    worker = float(catalog.variables()["AMQP_GRACEFUL_TIMEOUT_SECONDS"].default)
    assert stop_grace_seconds({}) == worker + STOP_MARGIN_SECONDS
    assert stop_grace_seconds({"AMQP_GRACEFUL_TIMEOUT_SECONDS": "5"}) == 5 + STOP_MARGIN_SECONDS


@pytest.mark.parametrize("kind", sorted(compose.FILES))
def test_compose_gives_every_application_the_same_grace_as_the_runner(kind: str) -> None:
    """Production's stop_grace_period (30 s) was shorter than the worker's graceful timeout (60 s)."""
    services = compose.load(kind)["services"]
    for name in compose.APPLICATIONS:
        assert seconds(services[name].get("stop_grace_period", "10s")) == stop_grace_seconds({}), (kind, name)


@pytest.mark.parametrize(
    ("returncode", "expected"),
    [
        (130, 0),  # our own SIGINT
        (143, 0),  # our own SIGTERM
        (-signal.SIGTERM, 128 + signal.SIGTERM),  # was 241 ("Error 241" from make)
        (-signal.SIGKILL, 128 + signal.SIGKILL),
        (3, 3),
        (None, 0),
    ],
)
def test_a_process_killed_by_a_signal_ends_the_runner_as_a_shell_reports_it(returncode, expected) -> None:
    assert exit_code(returncode) == expected


@pytest.mark.parametrize(
    ("environ", "wanted"),
    [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False)],
)
def test_console_logs_are_coloured_only_for_a_person(monkeypatch, environ, wanted) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a log file: no terminal
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert colours_wanted() is wanted
