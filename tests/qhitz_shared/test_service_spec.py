"""A new service assembled from the shared ServiceSpec, with nothing but its controller, settings and providers,
gets the platform's kit: /health, /ready (its probes and the revocation state's), OpenAPI with problem
responses, HEAD on GET routes, bearer authentication with guards, and the start-up and shutdown order."""

from __future__ import annotations

import uuid

import msgspec
from dishka import Provider, Scope, provide
from litestar import Controller, get
from litestar.params import FromPath

from qhitz_shared.http.security import Caller, require_permission
from qhitz_shared.revocation.events import RevocationPage
from qhitz_shared.revocation.feed import RevocationFeed, RevocationSource
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.revocation.transports import ServiceTokens
from qhitz_shared.revocation.wiring import RevocationSubscriberProvider
from qhitz_shared.service import Probes, ServiceSettings, ServiceSpec
from qhitz_shared.settings import AppSettings, HttpSettings
from tests.support.asgi import asgi_client, running

PERMISSION = "probe:read"


class Note(msgspec.Struct, frozen=True):
    id: uuid.UUID
    reader: str


class NotesController(Controller):
    path = "/api/v1/probe/notes"

    @get("/{note_id:uuid}", guards=[require_permission(PERMISSION)])
    async def read(self, note_id: FromPath[uuid.UUID], principal: Caller) -> Note:
        return Note(id=note_id, reader=str(principal.user_id))


class EmptyLog:
    """main_service's revocation log as a newly started platform has it: nothing revoked yet."""

    async def since(self, cursor: int, limit: int) -> RevocationPage:
        return RevocationPage(events=[], cursor=cursor, more=False, head=0, stream="poll")


class NoServiceToken:
    def token(self) -> str:
        raise AssertionError("the revocation log of this test is local; no token is asked for")

    def forget(self) -> None:
        return None


class Lifecycle:
    """Records the order of the start-up and shutdown hooks the builder wires."""

    def __init__(self) -> None:
        self.calls: list[str] = []


class Recorder:
    def __init__(self, name: str, lifecycle: Lifecycle) -> None:
        self._name = name
        self._lifecycle = lifecycle

    async def start(self) -> None:
        self._lifecycle.calls.append(f"start {self._name}")

    async def stop(self) -> None:
        self._lifecycle.calls.append(f"stop {self._name}")


class ProbeProvider(Provider):
    def __init__(self, lifecycle: Lifecycle) -> None:
        super().__init__()
        self._lifecycle = lifecycle

    @provide(scope=Scope.APP)
    def probes(self) -> Probes:
        async def always() -> None:
            return None

        return Probes(notebook=always)

    @provide(scope=Scope.APP)
    def lifecycle(self) -> Lifecycle:
        self._lifecycle.calls.append("warm up")
        return self._lifecycle

    @provide(scope=Scope.APP)
    def tokens(self) -> ServiceTokens:
        return NoServiceToken()


class LocalLog(Provider):
    source = provide(EmptyLog, scope=Scope.APP, provides=RevocationSource)


def spec(lifecycle: Lifecycle, loaded: ServiceSettings) -> ServiceSpec[ServiceSettings]:
    return ServiceSpec(
        type(loaded),
        [NotesController],
        lambda _: [ProbeProvider(lifecycle), RevocationSubscriberProvider()],
        name="probe_service",
        description="A test-only service: one controller.",
        warm_up=[Lifecycle],
        background=lambda _container, _settings: [Recorder("first", lifecycle), Recorder("second", lifecycle)],
    )


def settings(jwt_settings) -> ServiceSettings:
    return ServiceSettings(
        app=AppSettings(),
        http=HttpSettings(),
        jwt=jwt_settings,
        revocation=RevocationSettings(transport="poll", poll_seconds=0.05),
    )


async def test_a_service_from_the_spec_serves_the_platform_kit(jwt_settings, tokens):
    lifecycle = Lifecycle()
    loaded = settings(jwt_settings)
    app = spec(lifecycle, loaded).create_http_app(loaded, overrides=[LocalLog()])
    note = uuid.uuid4()
    user = uuid.uuid4()
    async with running(app), asgi_client(app, "http://probe") as http:
        assert lifecycle.calls == ["warm up", "start first", "start second"]
        feed = await app.state.dishka_container.get(RevocationFeed)
        assert feed is not None

        assert (await http.get("/health")).json() == {"status": "ok"}
        ready = await http.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"notebook": "ok", "revocations": "ok"}

        url = f"/api/v1/probe/notes/{note}"
        anonymous = await http.get(url)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        refused = await http.get(url, headers={"Authorization": f"Bearer {tokens.user(user)}"})
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
        allowed = {"Authorization": f"Bearer {tokens.user(user, perms=[PERMISSION])}"}
        answered = await http.get(url, headers=allowed)
        assert answered.status_code == 200
        assert answered.json() == {"id": str(note), "reader": str(user)}
        head = await http.head(url, headers=allowed)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == answered.headers["content-length"]

        schema = (await http.get("/schema/openapi.json")).json()
        assert schema["info"]["title"] == "Qhitz probe_service"
        responses = schema["paths"]["/api/v1/probe/notes/{note_id}"]["get"]["responses"]
        assert {"200", "401", "403"} <= set(responses)
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        assert responses["401"]["content"] == responses["403"]["content"] == problem
    assert lifecycle.calls[-2:] == ["stop second", "stop first"]
