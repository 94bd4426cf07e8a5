"""A local fake of the few Stripe API endpoints studio_service calls (POST /v1/checkout/sessions), speaking
Stripe's wire format: form-encoded requests with bracketed keys, JSON objects back. The real SDK is pointed at it."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class FakeStripe:
    def __init__(self) -> None:
        self.sessions: list[dict[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self.url = ""

    @contextmanager
    def running(self) -> Iterator[FakeStripe]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
                if self.path != "/v1/checkout/sessions":
                    return self._answer(404, {"error": {"type": "invalid_request_error", "message": "no route"}})
                if not (self.headers.get("authorization") or "").startswith("Bearer sk_test_"):
                    return self._answer(401, {"error": {"type": "invalid_request_error", "message": "bad key"}})
                form = dict(parse_qsl(body))
                fake.sessions.append(form)
                fake.headers.append(dict(self.headers))
                session_id = f"cs_test_{uuid.uuid4().hex}"
                return self._answer(
                    200,
                    {
                        "id": session_id,
                        "object": "checkout.session",
                        "mode": form.get("mode"),
                        "url": f"https://checkout.stripe.test/c/pay/{session_id}",
                        "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                    },
                )

            def _answer(self, status: int, document: dict) -> None:
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
