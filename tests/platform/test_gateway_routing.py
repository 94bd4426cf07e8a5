"""The gateway configuration (deploy/nginx) under Debian's nginx, in front of recording stand-in upstreams.

These check the routing table itself — which prefix reaches which service, what never passes, how bodies and
request ids travel — independently of the services; tests/platform/test_gateway_services.py runs real services
behind the same file.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.platform.echo import CONTENT, EchoUpstream
from tests.platform.gateway import Gateway, running_gateway


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, EchoUpstream]]:
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(EchoUpstream(name).running())
            for name in ("main", "auth", "medias", "dental", "chat", "studio")
        }


@pytest.fixture(scope="module")
def gateway(upstreams: dict[str, EchoUpstream], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    addresses = {name: [upstream.address] for name, upstream in upstreams.items()}
    with running_gateway(addresses, tmp_path_factory.mktemp("gateway")) as running:
        yield running


@pytest.fixture
def seen(upstreams: dict[str, EchoUpstream]) -> dict[str, EchoUpstream]:
    for upstream in upstreams.values():
        upstream.seen.clear()
        upstream.received = 0
        upstream.first_bytes.clear()
    return upstreams


def raw_get(gateway: Gateway, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """A request line sent exactly as written (httpx would normalise dot segments away)."""
    host, port = gateway.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/api/v1/auth/login", "auth"),
        ("/api/v1/auth", "auth"),
        ("/.well-known/jwks.json", "auth"),
        ("/api/v1/media", "medias"),
        ("/api/v1/media/0199/versions/2", "medias"),
        ("/api/v1/media/trash?page=2", "medias"),
        ("/api/v1/tags", "medias"),
        ("/api/v1/tags/holiday", "medias"),
        ("/api/v1/uploads", "medias"),
        ("/api/v1/uploads/0199", "medias"),
        ("/api/v1/folders/root/children?page=2", "medias"),
        ("/api/v1/folders", "medias"),
        ("/api/v1/shares", "medias"),
        ("/api/v1/s/AbC-_123?path=a%2Fb&page=2", "medias"),
        ("/api/v1/s/AbC-_123", "medias"),
        ("/api/v1/sessions", "main"),  # /api/v1/s is a whole segment
        ("/api/v1/groups", "chat"),
        ("/api/v1/groups/0199/messages?after_seq=5", "chat"),
        ("/api/v1/groupsy", "main"),  # a prefix match is a whole path segment
        ("/api/v1/users/me", "main"),
        ("/api/v1/roles?page=1&per_page=5", "main"),
        ("/api/v1/features", "main"),
        ("/api/v1/authors", "main"),  # a prefix match is a whole path segment
        ("/api/v1/mediakit", "main"),
        ("/api/v1/dental", "dental"),
        ("/api/v1/dental/patients?q=ana", "dental"),
        ("/api/v1/dental/dentists/0199/calendar.ics", "dental"),
        ("/api/v1/dentalcare", "main"),
        ("/api/v1/projects", "studio"),
        ("/api/v1/projects/0199/assets?page=2", "studio"),
        ("/api/v1/credits/balance", "studio"),
        ("/api/v1/subscriptions/webhook", "studio"),
        ("/api/v1/jobs", "studio"),
        ("/api/v1/jobs/0199/events", "studio"),
        ("/api/v1/jobsearch", "main"),
    ],
)
def test_each_prefix_reaches_its_service_with_path_and_query_unchanged(
    gateway: Gateway, seen: dict[str, EchoUpstream], path: str, upstream: str
) -> None:
    response = httpx.get(f"{gateway.url}{path}")
    assert response.status_code == 200
    assert response.json()["upstream"] == upstream
    assert response.json()["path"] == path
    assert [len(echo.seen) for name, echo in seen.items() if name != upstream] == [0] * (len(seen) - 1)


@pytest.mark.parametrize(
    "path",
    [
        "/internal/v1/users",
        "/internal",
        "/internal/v1/users/0199?x=1",
        "/api/v1/../../internal/v1/users",
        "/api/v1/%2e%2e/%2E%2E/internal/v1/users",
        "/api/v1/users/..%2f..%2f..%2finternal/v1/users",
        "/api/v1/media/../../internal/v1/users",
        "/health/../internal/v1/users",
        "/metrics",
        "/schema",
        "/ready",
        "/",
    ],
)
def test_internal_and_service_operational_paths_never_pass(
    gateway: Gateway, seen: dict[str, EchoUpstream], path: str
) -> None:
    response = raw_get(gateway, path)
    assert response.status in (400, 404), (path, response.status)
    assert response.getheader("X-Request-ID")
    assert [echo.seen for echo in seen.values()] == [[]] * len(seen)


def test_the_gateway_answers_its_own_health_check(gateway: Gateway, seen: dict[str, EchoUpstream]) -> None:
    response = httpx.get(f"{gateway.url}/health")
    assert (response.status_code, response.text) == (200, "ok\n")
    assert [echo.seen for echo in seen.values()] == [[]] * len(seen)


def test_a_callers_request_id_is_passed_on_and_returned(gateway: Gateway, seen: dict[str, EchoUpstream]) -> None:
    response = httpx.get(f"{gateway.url}/api/v1/users/me", headers={"X-Request-ID": "trace-42.a"})
    assert response.json()["request_id"] == "trace-42.a"
    assert response.headers.get_list("x-request-id") == ["trace-42.a"]


def test_a_request_without_id_gets_one_from_the_gateway(gateway: Gateway, seen: dict[str, EchoUpstream]) -> None:
    response = httpx.get(f"{gateway.url}/api/v1/media")
    given = response.json()["request_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    assert response.headers.get_list("x-request-id") == [given]
    assert f"request_id={given}" in gateway.access_log_once(lambda log: f"request_id={given}" in log)


def test_the_client_address_replaces_a_forged_forwarded_for(gateway: Gateway, seen: dict[str, EchoUpstream]) -> None:
    response = httpx.post(f"{gateway.url}/api/v1/auth/login", headers={"X-Forwarded-For": "203.0.113.9"}, json={})
    assert response.json()["forwarded_for"] == "127.0.0.1"


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/v1/media"), ("PATCH", "/api/v1/uploads/0199")])
def test_a_large_upload_streams_through_without_buffering(
    gateway: Gateway, seen: dict[str, EchoUpstream], tmp_path: Path, method: str, path: str
) -> None:
    """The upstream receives bytes while the client is still sending, and nothing is spooled to disk: multipart
    uploads and tus PATCHes alike."""
    chunk = hashlib.sha256(b"qhitz").digest() * (1 << 15)  # 1 MiB
    chunks = 300
    medias = seen["medias"]
    upstream_got_bytes_early = threading.Event()

    def body() -> Iterator[bytes]:
        for index in range(chunks):
            # half the body sent: an unbuffered proxy has forwarded some of it already
            if index == chunks // 2 and medias.first_bytes.wait(timeout=30):
                upstream_got_bytes_early.set()
            yield chunk

    expected = hashlib.sha256()
    for _ in range(chunks):
        expected.update(chunk)
    response = httpx.request(
        method,
        f"{gateway.url}{path}",
        content=body(),
        headers={"Content-Length": str(len(chunk) * chunks), "Content-Type": "application/octet-stream"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    assert response.json()["received"] == len(chunk) * chunks
    assert response.json()["sha256"] == expected.hexdigest()
    assert upstream_got_bytes_early.is_set()
    # nginx warns of buffering while it reads the body, before the request's access line: once that is written,
    # the error log holds every warning this request could cause
    gateway.access_log_once(lambda log: f'"{method} {path} HTTP/1.1" 200' in log)
    assert "buffered to a temporary file" not in gateway.error_log
    assert gateway.temp_files() == []


def test_bodies_beyond_the_small_limit_are_refused_outside_the_media_routes(
    gateway: Gateway, seen: dict[str, EchoUpstream]
) -> None:
    response = httpx.post(f"{gateway.url}/api/v1/users/me", content=b"x" * (11 * 1024 * 1024), timeout=30)
    assert response.status_code == 413
    assert seen["main"].seen == []


def test_a_range_request_is_answered_206_by_the_service_through_the_gateway(
    gateway: Gateway, seen: dict[str, EchoUpstream]
) -> None:
    response = httpx.get(f"{gateway.url}/api/v1/media/0199/content", headers={"Range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes 1000-1999/{len(CONTENT)}"
    assert response.content == CONTENT[1000:2000]
    assert seen["medias"].seen[0].headers["range"] == "bytes=1000-1999"


def test_a_shared_zip_streams_through_as_it_is_made(gateway: Gateway, seen: dict[str, EchoUpstream]) -> None:
    """The gateway does not buffer public share responses: the first bytes of a ZIP still being made arrive
    before the rest exists."""
    with httpx.stream("GET", f"{gateway.url}/api/v1/s/AbC-_123/zip", timeout=20) as response:
        assert response.status_code == 200
        chunks = response.iter_raw()
        first = next(chunks)
        assert first == CONTENT[: len(first)] and len(first) <= 100  # got while the upstream still waits
        seen["medias"].rest_of_zip.set()
        rest = b"".join(chunks)
    assert first + rest == CONTENT


def test_replicas_share_the_load_and_a_stopped_one_is_skipped(tmp_path: Path) -> None:
    with ExitStack() as stack:
        first = stack.enter_context(EchoUpstream("main-1").running())
        second_stack = ExitStack()
        second = second_stack.enter_context(EchoUpstream("main-2").running())
        others = {
            name: [stack.enter_context(EchoUpstream(name).running()).address]
            for name in ("auth", "medias", "dental", "studio")
        }
        gateway = stack.enter_context(
            running_gateway({"main": [first.address, second.address], **others}, tmp_path / "gateway")
        )
        answered = [httpx.get(f"{gateway.url}/api/v1/users/me").json()["upstream"] for _ in range(10)]
        assert set(answered) == {"main-1", "main-2"}
        second_stack.close()  # one replica goes away
        after = [httpx.get(f"{gateway.url}/api/v1/users/me") for _ in range(10)]
        assert [response.status_code for response in after] == [200] * 10
        assert {response.json()["upstream"] for response in after} == {"main-1"}
