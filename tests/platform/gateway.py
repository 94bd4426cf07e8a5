"""The production gateway configuration, rendered like the nginx image does and run by Debian's nginx on loopback."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.servers import ROOT, free_port

TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "default.conf.template"
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
UPSTREAMS = ("main", "auth", "medias", "dental", "chat", "studio")
NOWHERE = ["127.0.0.1:9"]  # an upstream a test does not run: the discard port, refused


def render(values: Mapping[str, str], template: Path = TEMPLATE) -> str:
    """envsubst as the nginx image runs it (NGINX_ENVSUBST_FILTER=^GATEWAY_): ${GATEWAY_*} from ``values``."""
    text = template.read_text()
    wanted = set(PLACEHOLDER.findall(text))
    missing = {name for name in wanted if name.startswith("GATEWAY_")} - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def servers(addresses: list[str]) -> str:
    return " ".join(f"server {address} max_fails=1 fail_timeout=2s;" for address in addresses)


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is needed for the gateway tests: apt-get install -y nginx (.ci/run does it)")
    return found


@dataclass
class Gateway:
    url: str
    directory: Path

    @property
    def error_log(self) -> str:
        return (self.directory / "error.log").read_text(errors="replace")

    @property
    def access_log(self) -> str:
        return (self.directory / "access.log").read_text(errors="replace")

    def access_log_once(self, until: Callable[[str], bool], timeout: float = 10) -> str:
        """The access log as soon as ``until`` holds for it. nginx writes a request's line after the response has
        gone out, so a client that reads the log right after its answer may find the line missing."""
        deadline = time.monotonic() + timeout
        while not until(log := self.access_log):
            if time.monotonic() > deadline:
                raise AssertionError(f"the access log never showed what was expected:\n{log[-3000:]}")
            time.sleep(0.02)
        return log

    def temp_files(self) -> list[Path]:
        return [path for path in (self.directory / "client_body").rglob("*") if path.is_file()]


def _wait_listening(port: int, process: subprocess.Popen, directory: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {(directory / 'error.log').read_text(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError("nginx did not listen")


@contextmanager
def running_gateway(upstreams: Mapping[str, list[str]], directory: Path, max_upload: str = "4g") -> Iterator[Gateway]:
    """nginx with the gateway file; ``upstreams`` maps main/auth/medias/dental/chat/studio to host:port addresses
    (one left out is an address that refuses connections)."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = render(
        {
            "GATEWAY_LISTEN": f"127.0.0.1:{port}",
            "GATEWAY_MAX_UPLOAD_SIZE": max_upload,
            **{f"GATEWAY_{name.upper()}_SERVERS": servers(upstreams.get(name) or NOWHERE) for name in UPSTREAMS},
        }
    )
    (directory / "default.conf").write_text(site)
    # What the nginx image's own nginx.conf provides around conf.d/*.conf, with every path in our folder.
    (directory / "nginx.conf").write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log info;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    keepalive_timeout 65;
    include {directory}/default.conf;
}}
"""
    )
    with open(directory / "access.log", "wb") as access:
        process = subprocess.Popen(
            [nginx_binary(), "-p", str(directory), "-c", str(directory / "nginx.conf")],
            stdout=access,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_listening(port, process, directory)
        yield Gateway(f"http://127.0.0.1:{port}", directory)
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
