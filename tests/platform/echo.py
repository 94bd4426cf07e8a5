"""A stand-in upstream that records what the gateway sends it: path, headers, and body bytes as they arrive."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENT = bytes(range(256)) * 4096  # 1 MiB served by GET …/content, with Range support
RANGE = re.compile(r"bytes=(\d+)-(\d+)")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class EchoUpstream:
    name: str
    seen: list[Seen] = field(default_factory=list)
    received: int = 0
    first_bytes: threading.Event = field(default_factory=threading.Event)
    # GET …/zip sends a first part, then waits for this before the rest (a ZIP still being made)
    rest_of_zip: threading.Event = field(default_factory=threading.Event)
    address: str = ""
    connections: set[socket.socket] = field(default_factory=set)

    @contextmanager
    def running(self) -> Iterator[EchoUpstream]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                owner.connections.add(self.connection)

            def handle_any(self) -> None:
                owner.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                length = int(self.headers.get("content-length") or 0)
                digest = hashlib.sha256()
                left = length
                while left:
                    chunk = self.rfile.read(min(left, 1 << 20))
                    if not chunk:
                        break
                    left -= len(chunk)
                    digest.update(chunk)
                    owner.received += len(chunk)
                    owner.first_bytes.set()
                wanted = RANGE.fullmatch(self.headers.get("range") or "")
                if self.command == "GET" and self.path.endswith("/content"):
                    self.send_content(wanted)
                    return
                if self.command == "GET" and self.path.endswith("/zip"):
                    self.send_slowly()
                    return
                body = json.dumps(
                    {
                        "upstream": owner.name,
                        "path": self.path,
                        "request_id": self.headers.get("x-request-id"),
                        "forwarded_for": self.headers.get("x-forwarded-for"),
                        "received": length - left,
                        "sha256": digest.hexdigest(),
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Request-ID", self.headers.get("x-request-id") or "")
                self.end_headers()
                self.wfile.write(body)

            def send_content(self, wanted: re.Match[str] | None) -> None:
                start, end = (int(wanted[1]), int(wanted[2])) if wanted else (0, len(CONTENT) - 1)
                self.send_response(206 if wanted else 200)
                if wanted:
                    self.send_header("Content-Range", f"bytes {start}-{end}/{len(CONTENT)}")
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(end - start + 1))
                self.end_headers()
                self.wfile.write(CONTENT[start : end + 1])

            def send_slowly(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(CONTENT)))
                self.end_headers()
                self.wfile.write(CONTENT[:100])
                self.wfile.flush()
                owner.rest_of_zip.wait(timeout=30)
                self.wfile.write(CONTENT[100:])

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

            def log_message(self, *args: object) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self.address = f"127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            for connection in list(owner.connections):  # kept-alive connections die with the "replica"
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
