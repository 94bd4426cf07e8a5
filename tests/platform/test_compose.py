"""docker-compose.yml and docker-compose.prod.yml, checked statically against the tree and the settings.

The variables each service reads come from deploy.catalog (the services' settings Structs), so a setting added
to a service fails here until both compose environments give it a value (or a deliberate `# NAME=`).
"""

from __future__ import annotations

import re

import pytest

from deploy import catalog
from tests.platform import compose
from tests.platform.gateway import render
from tests.support.servers import ROOT

KINDS = sorted(compose.FILES)
INFRASTRUCTURE = {"maindb", "mediasdb", "dentaldb", "chatdb", "studiodb", "rabbitmq", "redis"}
DEV_PORTS = {
    "main": ["3000:3000"],
    "medias": ["3001:3001"],
    "auth": ["3002:3002"],
    "dental": ["3003:3003"],
    "maindb": ["5432:5432"],
    "mediasdb": ["5433:5432"],
    "dentaldb": ["5434:5432"],
    "chat": ["3004:3004"],
    "chatdb": ["5435:5432"],
    "studio": ["3005:3005"],
    "studiodb": ["5436:5432"],
    "rabbitmq": ["5672:5672", "15672:15672"],
    "redis": ["6379:6379"],
}


def built(service: catalog.Service) -> None:
    if not service.exists:
        pytest.skip(service.not_built)


@pytest.mark.parametrize("kind", KINDS)
def test_the_files_parse_and_hold_the_whole_platform(kind: str) -> None:
    services = compose.load(kind)["services"]
    # production has the gateway; development a mail catcher (account mail, read in a browser)
    extra = {"gateway"} if kind == "prod" else {"mailpit"}
    expected = INFRASTRUCTURE | {"migrate"} | set(compose.APPLICATIONS) | extra
    assert set(services) == expected


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(compose.APPLICATIONS))
def test_each_application_runs_its_services_entry_point(kind: str, name: str) -> None:
    service = compose.APPLICATIONS[name]
    module = compose.command_module(compose.load(kind)["services"][name]["command"])
    assert module in service.modules
    built(service)
    assert module == service.module, f"{name} is started by {service.module}: update the compose command"


@pytest.mark.parametrize("kind", KINDS)
def test_the_migrate_job_runs_the_migrations_of_every_database(kind: str) -> None:
    migrate = compose.load(kind)["services"]["migrate"]
    assert compose.command_module(migrate["command"]) == "deploy.migrate"
    assert catalog.module_exists("deploy.migrate")
    assert migrate["restart"] == "no"


def reads(name: str) -> dict[str, catalog.Variable]:
    """What the container's process reads; the migrate job loads the settings of every database owner."""
    owners = (
        [catalog.MAIN, catalog.MEDIAS, catalog.DENTAL, catalog.CHAT]
        if name == "migrate"
        else [compose.APPLICATIONS[name]]
    )
    found: dict[str, catalog.Variable] = {}
    for owner in owners:
        if owner.exists:
            found.update(catalog.service_variables(owner))
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", [*sorted(compose.APPLICATIONS), "migrate"])
def test_every_variable_a_service_reads_is_set(kind: str, name: str) -> None:
    if name != "migrate":
        built(compose.APPLICATIONS[name])
    env = compose.environment(kind, compose.load(kind)["services"][name])
    missing = [
        variable
        for variable in reads(name).values()
        if variable.name not in env.values and not (variable.unset and variable.name in env.unset)
    ]
    lines = "\n".join(f"{v.name}={v.default}" if not v.unset else f"# {v.name}=" for v in missing)
    assert not missing, f"{kind}: {name} reads variables its compose environment does not set; add:\n{lines}"


@pytest.mark.parametrize("kind", KINDS)
def test_no_environment_sets_a_variable_nobody_reads(kind: str) -> None:
    absent = [service for service in catalog.SERVICES if not service.exists]
    if absent:
        pytest.skip(f"turns on once every service exists; missing: {', '.join(s.name for s in absent)}")
    known = set(catalog.variables()) | {extra.name for extra in catalog.EXTRA_VARIABLES}
    services = compose.load(kind)["services"]
    for name in [*compose.APPLICATIONS, "migrate"]:
        env = compose.environment(kind, services[name])
        interpolation_only = {
            "MAINDB_PASSWORD",
            "MEDIASDB_PASSWORD",
            "CHATDB_PASSWORD",
            "DENTALDB_PASSWORD",
            "RABBITMQ_PASSWORD",
            "REDIS_PASSWORD",
            "CHAT_CLIENT_SECRET",
            "DENTAL_CLIENT_SECRET",
            "STUDIODB_PASSWORD",
            "STUDIO_SERVICE_CLIENT_SECRET",
        }
        stray = (
            set(env.values)
            - known
            - interpolation_only
            - {"QHITZ_IMAGE"}
            - {key for key in env.values if key.endswith("_REPLICAS") or key.startswith("GATEWAY_")}
        )
        assert not stray, f"{kind}: {name} sets variables no service reads: {sorted(stray)}"


def test_development_ports_are_the_documented_ones() -> None:
    services = compose.load("dev")["services"]
    assert {name: compose.published(services[name]) for name in DEV_PORTS} == DEV_PORTS
    assert [name for name in ("migrate", "worker", "studio-worker") if compose.published(services[name])] == []
    readme = (ROOT / "README.md").read_text()
    for service in catalog.HTTP_SERVICES:
        assert re.search(rf"^\| {service.package} \| {service.port} \|", readme, re.MULTILINE), service.package


@pytest.mark.parametrize("service", catalog.HTTP_SERVICES, ids=lambda service: service.name)
def test_each_service_listens_where_the_catalogue_and_both_environments_say(service: catalog.Service) -> None:
    built(service)
    variable = catalog.port_variable(service)
    assert variable is not None
    assert catalog.service_variables(service)[variable].default == str(service.port)
    for kind in KINDS:
        env = compose.environment(kind, compose.load(kind)["services"][service.name])
        assert env.values[variable] == str(service.port)
        assert env.values["HEALTHCHECK_URL"] == f"http://127.0.0.1:{service.port}/health"
        assert env.values[f"{variable.removesuffix('_PORT')}_HOST"] == "0.0.0.0"


def test_production_publishes_nothing_but_the_gateway() -> None:
    services = compose.load("prod")["services"]
    assert {name for name, service in services.items() if "ports" in service or "expose" in service} == {"gateway"}
    assert compose.published(services["gateway"]) == ["${GATEWAY_PORT:-80}:80"]


def test_production_runs_built_images_without_source_mounts() -> None:
    services = compose.load("prod")["services"]
    for name in [*compose.APPLICATIONS, "migrate"]:
        service = services[name]
        assert "build" not in service
        assert service["image"] == "${QHITZ_IMAGE:-qhitz:latest}"
        mounts = [str(volume).split(":")[0] for volume in service.get("volumes", [])]
        assert not [mount for mount in mounts if mount.startswith(".")], (name, mounts)


def test_production_sets_restart_policies_resource_limits_and_healthchecks() -> None:
    services = compose.load("prod")["services"]
    for name, service in services.items():
        assert service.get("restart") == ("no" if name == "migrate" else "unless-stopped"), name
        if name != "migrate":
            assert service["deploy"]["resources"]["limits"], name
        if name in INFRASTRUCTURE | {"gateway"}:
            assert service["healthcheck"]["test"], name
    # the applications are checked by the image's HEALTHCHECK against their own HEALTHCHECK_URL
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^HEALTHCHECK .*CMD \["python", "-m", "deploy.healthcheck"\]$', dockerfile, re.MULTILINE)


def test_stateless_services_run_several_replicas_in_production() -> None:
    services = compose.load("prod")["services"]
    for name in ("main", "auth", "medias", "dental", "studio"):
        replicas = services[name]["deploy"]["replicas"]
        assert re.fullmatch(rf"\$\{{{name.upper()}_REPLICAS:-[2-9]\}}", replicas), replicas
        assert "container_name" not in services[name]


@pytest.mark.parametrize("kind", KINDS)
def test_depends_on_names_real_services_with_conditions_they_can_meet(kind: str) -> None:
    services = compose.load(kind)["services"]
    has_healthcheck = {name for name, service in services.items() if "healthcheck" in service}
    has_healthcheck |= {name for name, app in compose.APPLICATIONS.items() if app.http}  # the image's HEALTHCHECK
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, (name, target)
            condition = rule["condition"]
            if condition == "service_healthy":
                assert target in has_healthcheck, (name, target)
            elif condition == "service_completed_successfully":
                assert target == "migrate", (name, target)
            else:
                assert condition == "service_started", (name, target)
    for name in ("main", "medias", "worker", "dental", "studio", "studio-worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_development_mounts_the_source_for_reload() -> None:
    services = compose.load("dev")["services"]
    for name in compose.APPLICATIONS:
        assert "./src:/app/src" in services[name]["volumes"]
        assert services[name]["command"][0] == "watchfiles"


def test_the_production_gateway_renders_the_tested_configuration_with_its_environment() -> None:
    gateway = compose.load("prod")["services"]["gateway"]
    assert "./deploy/nginx/templates:/etc/nginx/templates:ro" in gateway["volumes"]
    env = gateway["environment"]
    assert env["NGINX_ENVSUBST_FILTER"] == "^GATEWAY_"
    site = render({key: str(value) for key, value in env.items()})
    for service in catalog.HTTP_SERVICES:
        assert f"server {service.name}:{service.port} " in site
    assert "listen 80 default_server;" in site


def test_production_secrets_live_outside_the_repository() -> None:
    document = compose.load("prod")
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "deploy/env/prod.env" in ignored
    assert "deploy/secrets/" in ignored
    for secret in document["secrets"].values():
        assert secret["file"].startswith("./deploy/secrets/")
    assert (ROOT / "deploy" / "env" / "prod.env.example").is_file()
