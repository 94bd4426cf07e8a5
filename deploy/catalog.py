"""What the platform is made of: each service, how it starts, and every environment variable it reads.

The variables are not listed by hand: each service's settings classes (``<package>.main.settings``, the msgspec
Structs with a ``from_env`` classmethod) are loaded against an empty, recording environment while the shared
``qhitz_shared.settings.from_env`` is observed, so a setting added to a service shows up here (and in the README's
configuration reference, the compose checks and the dev runner) without anyone updating a list.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Service:
    """One process of the platform. ``modules`` are the ``python -m`` entry points tried in order."""

    name: str
    package: str
    modules: tuple[str, ...]
    issue: int
    port: int | None = None
    http: bool = True

    @property
    def module(self) -> str | None:
        """The entry point that exists in the tree, or None while the service is not built yet."""
        return next((module for module in self.modules if module_exists(module)), None)

    @property
    def exists(self) -> bool:
        return self.module is not None

    @property
    def settings_module(self) -> str:
        return f"{self.package}.main.settings"

    @property
    def not_built(self) -> str:
        return f"{self.name} ({' / '.join(self.modules)}) is not built yet (issue {self.issue})"


MAIN = Service("main", "main_service", ("main_service.main",), issue=2, port=3000)
AUTH = Service("auth", "auth_service", ("auth_service.main",), issue=3, port=3002)
MEDIAS = Service("medias", "medias_service", ("medias_service.main",), issue=4, port=3001)
CHAT = Service("chat", "chat_service", ("chat_service.main",), issue=14, port=3004)
# The worker's entry point is issue 5's choice; the first of these that exists is used.
WORKER = Service(
    "worker",
    "medias_service",
    ("medias_service.main.worker", "medias_service.worker"),
    issue=5,
    http=False,
)
DENTAL = Service("dental", "dental_service", ("dental_service.main",), issue=13, port=3003)
STUDIO = Service("studio", "studio_service", ("studio_service.main",), issue=15, port=3005)
STUDIO_WORKER = Service("studio-worker", "studio_service", ("studio_service.main.worker",), issue=15, http=False)
SERVICES = (MAIN, AUTH, MEDIAS, WORKER, DENTAL, CHAT, STUDIO, STUDIO_WORKER)
HTTP_SERVICES = (MAIN, AUTH, MEDIAS, DENTAL, CHAT, STUDIO)


def module_exists(module: str) -> bool:
    """True when ``python -m module`` would find something to run (a module, or a package with __main__)."""
    try:
        spec = importlib.util.find_spec(module)
        if spec is None:
            return False
        if spec.submodule_search_locations is not None:
            return importlib.util.find_spec(f"{module}.__main__") is not None
        return True
    except (ImportError, ValueError):
        return False


def available() -> tuple[Service, ...]:
    return tuple(service for service in SERVICES if service.exists)


# --- environment variables -------------------------------------------------------------------------------------


@dataclass
class Variable:
    name: str
    default: str
    concern: str
    services: list[str] = field(default_factory=list)
    unset: bool = False  # the default is "not set" (None): the feature it configures is off


@dataclass(frozen=True)
class ExtraVariable:
    """A variable read outside the settings Structs (command-line tools, the dev runner, the image, the gateway)."""

    name: str
    default: str
    concern: str
    used_by: str


# Read directly from the environment by code that is not a service's settings; kept here by hand.
EXTRA_VARIABLES = (
    ExtraVariable("ADMIN_EMAIL", "admin@example.com (make dev)", "the first admin", "create-admin, make dev"),
    ExtraVariable("ADMIN_USERNAME", "the email's local part", "the first admin", "create-admin, make dev"),
    ExtraVariable("ADMIN_PASSWORD", "generated, printed once (make dev)", "the first admin", "create-admin, make dev"),
    ExtraVariable("DEV_SERVICES", "every service that exists", "which processes `make dev` starts", "make dev"),
    ExtraVariable(
        "FORWARDED_ALLOW_IPS",
        "(none: no forwarding header is trusted)",
        "proxies whose X-Forwarded-For gives the client address (uvicorn); the compose files set * for their gateway",
        "main, auth, medias, chat",
    ),
    ExtraVariable("NO_COLOR", "", "any value: console logs without colour codes", "main, auth, medias, chat, make dev"),
    ExtraVariable(
        "FORCE_COLOR",
        "set by make dev on a terminal",
        "any value: console logs coloured though not on a terminal",
        "main, auth, medias, chat",
    ),
    ExtraVariable("HEALTHCHECK_URL", "", "what the image's HEALTHCHECK probes (none: always healthy)", "image"),
    ExtraVariable("GATEWAY_LISTEN", "80", "the gateway's listening socket", "gateway"),
    ExtraVariable("GATEWAY_MAIN_SERVERS", "server main:3000 …;", "main_service upstream servers", "gateway"),
    ExtraVariable("GATEWAY_AUTH_SERVERS", "server auth:3002 …;", "auth_service upstream servers", "gateway"),
    ExtraVariable("GATEWAY_MEDIAS_SERVERS", "server medias:3001 …;", "medias_service upstream servers", "gateway"),
    ExtraVariable("GATEWAY_DENTAL_SERVERS", "server dental:3003 …;", "dental_service upstream servers", "gateway"),
    ExtraVariable("GATEWAY_CHAT_SERVERS", "server chat:3004 …;", "chat_service upstream servers", "gateway"),
    ExtraVariable("GATEWAY_STUDIO_SERVERS", "server studio:3005 …;", "studio_service upstream servers", "gateway"),
    ExtraVariable("GATEWAY_MAX_UPLOAD_SIZE", "4g", "largest upload body the gateway lets through", "gateway"),
    ExtraVariable("QHITZ_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres", "server for test DBs", "tests"),
)


class _RecordingEnviron(Mapping[str, str]):
    """An environment that remembers every name asked for, so direct reads are seen too."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.asked: list[str] = []

    def _note(self, key: str) -> None:
        if key not in self.asked:
            self.asked.append(key)

    def __getitem__(self, key: str) -> str:
        self._note(key)
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._note(key)
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@contextmanager
def _observed_from_env(package: str, calls: list[tuple[str, type, msgspec.Struct]]) -> Iterator[None]:
    """Replace ``from_env`` in the service's (and the shared package's) loaded modules by a recording wrapper."""
    from qhitz_shared import settings as shared_settings

    original = shared_settings.from_env

    def recording(cls: type, prefix: str, environ: Mapping[str, str] | None = None, /, **defaults: object):
        result = original(cls, prefix, environ, **defaults)
        calls.append((prefix, cls, result))
        return result

    patched = [
        module
        for name, module in list(sys.modules.items())
        if (name == package or name.startswith((f"{package}.", "qhitz_shared")))
        and getattr(module, "from_env", None) is original
    ]
    for module in patched:
        module.from_env = recording  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in patched:
            module.from_env = original  # type: ignore[attr-defined]


def _render(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    text = str(value)
    root = f"{ROOT}/"
    return text.replace(root, "") if root in text else text


def _concern(cls: type) -> str:
    """The Struct's docstring after its ``PREFIX_*:`` head, first sentence only."""
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    _, _, rest = doc.partition(": ")
    text = rest or doc
    return text.split(". ")[0].rstrip(".")


def settings_classes(service: Service) -> list[type]:
    module = importlib.import_module(service.settings_module)
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, msgspec.Struct)
        and obj.__module__ == module.__name__
        and callable(getattr(obj, "from_env", None))
    ]


@cache
def service_variables(service: Service) -> dict[str, Variable]:
    """Every variable ``service`` reads, with its default, in the order the settings read them."""
    found: dict[str, Variable] = {}
    for cls in settings_classes(service):
        calls: list[tuple[str, type, msgspec.Struct]] = []
        environ = _RecordingEnviron({})
        with _observed_from_env(service.package, calls):
            cls.from_env(environ)
        for prefix, struct_cls, result in calls:
            for struct_field in msgspec.structs.fields(struct_cls):
                name = f"{prefix}{struct_field.name.upper()}"
                value = getattr(result, struct_field.name)
                found.setdefault(name, Variable(name, _render(value), _concern(struct_cls), unset=value is None))
        for name in environ.asked:  # read without from_env: default unknown here
            found.setdefault(name, Variable(name, "", "read directly by the service"))
    for variable in found.values():
        variable.services = [service.name]
    return found


def variables(services: tuple[Service, ...] | None = None) -> dict[str, Variable]:
    """The union over ``services`` (default: those that exist), each variable naming the services that read it."""
    merged: dict[str, Variable] = {}
    for service in services if services is not None else available():
        if service.http is False:
            continue  # the worker shares its service's settings
        for name, variable in service_variables(service).items():
            if name in merged:
                merged[name].services.append(service.name)
            else:
                merged[name] = Variable(
                    name, variable.default, variable.concern, list(variable.services), unset=variable.unset
                )
    return merged


def port_variable(service: Service) -> str | None:
    """The variable that sets the service's listening port (``<PREFIX>_HTTP_PORT``), found in its settings."""
    if not service.http or not service.exists:
        return None
    return next((name for name in service_variables(service) if name.endswith("_HTTP_PORT")), None)
