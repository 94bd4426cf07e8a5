"""The API contract guard: schemathesis against a service's own OpenAPI document, with every check it has.

A service under test is served on loopback (``serve_app``: its own event loop in a thread of this process) and
its ``/schema/openapi.json`` is loaded as is. For every operation, as every identity given (a plain user, an
admin, a service), ``examples`` cases are generated in each mode (positive: what the document allows; negative:
what it forbids), with path ids swapped for seeded rows half of the time, so that handlers run past their 404s.

Every response goes through all of schemathesis' checks (status codes, content types, headers and bodies
conformant to the document, no server error, negative data rejected, positive data accepted, auth not
ignored...). Failures are collected for the whole run and reported together; a 5xx is always one.
The run is deterministic: hypothesis derandomized, no example database, no shrinking.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode, SerializationContext, openapi, serializer
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import AcceptedNegativeData, FailureGroup, ServerError
from schemathesis.core.parameters import ParameterLocation

# Schema-valid input the domain refuses by rules a schema cannot state (a password's strength, an email's shape, a
# role name's alphabet, the sniffed type of a file, an owner's size limit or quota, a credit balance) is answered
# 402, 413, 415, 422 or 507, each documented; positive_data_acceptance counts those as answers, not as rejections
# of valid data.
# The tus protocol (medias_service's /api/v1/uploads) answers 412 for another Tus-Resumable version and 460 for
# bytes that do not match their Upload-Checksum, which no schema can foresee: both are answers, too.
TUS_STATUSES = ["412", "460"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": [
                    "2xx",
                    "3xx",
                    "401",
                    "402",
                    "403",
                    "404",
                    "409",
                    "413",
                    "415",
                    "422",
                    "429",
                    "507",
                    "5xx",
                    *TUS_STATUSES,
                ]
            },
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "415",
                    "422",
                    "428",
                    "429",
                    "5xx",
                    *TUS_STATUSES,
                ]
            },
        }
    }
)


@serializer("application/offset+octet-stream")
def _tus_bytes(_context: SerializationContext, value: Any) -> bytes:
    """tus PATCH bodies: raw bytes, as for application/octet-stream."""
    return value if isinstance(value, bytes) else str(value).encode()


@dataclass(frozen=True)
class Identity:
    """Who calls: fixed ``headers``, or ``login`` giving fresh ones for each operation (a case that logs the
    caller out does not leave the next operations with a dead token)."""

    name: str
    headers: Mapping[str, str] = field(default_factory=dict)
    login: Callable[[], Mapping[str, str]] | None = None

    def credentials(self) -> dict[str, str]:
        return dict(self.login() if self.login else self.headers)


@dataclass
class ContractRun:
    failures: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    calls: int = 0
    seconds: float = 0.0

    def report(self) -> str:
        unique = list(dict.fromkeys(self.failures))
        return f"{len(unique)} contract failures in {self.calls} calls:\n" + "\n".join(unique)


def _request(case: Any) -> str:
    sent = {"path": case.formatted_path, "query": case.query, "headers": case.headers, "body": case.body}
    return repr({key: value for key, value in sent.items() if value})[:300]


def run_contract(
    base_url: str,
    identities: Sequence[Identity],
    known_ids: Mapping[str, Sequence[Any]],
    *,
    examples: int = 8,
    skip: Sequence[str] = (),
) -> ContractRun:
    """Exercise every operation of the service at ``base_url``; ``known_ids`` maps a path parameter's name to
    values that name real rows. ``skip`` lists operation labels ("POST /api/v1/auth/logout-all") left out."""
    load_all_checks()
    checks = CHECKS.get_all()
    document = httpx.get(f"{base_url}/schema/openapi.json", timeout=10).json()
    schema = openapi.from_dict(document, config=CONFIG)
    run = ContractRun()
    started = time.monotonic()
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in skip:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for identity in identities:
                # the identity's token is fixed, not generated: negative cases break the input, not the credentials
                strategy = operation.as_strategy(generation_mode=mode, headers=identity.credentials())
                _exercise(operation, strategy, identity, known_ids, checks, base_url, session, run, examples)
    run.seconds = time.monotonic() - started
    return run


def _exercise(operation, strategy, identity, known_ids, checks, base_url, session, run, examples) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(data=st.data())
    def one(data: st.DataObject) -> None:
        case = data.draw(strategy)
        for name in list(case.path_parameters or {}):
            if name in known_ids and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(list(known_ids[name])))
        run.calls += 1
        try:
            # The identity's token is given, not generated. Schemathesis loses track of that for operations that
            # declare header parameters of their own (the tus routes: it merges the generated headers with the
            # given ones) and then takes a success for ignored authentication. Only for those, it is told again.
            if operation.headers and any(name.lower() == "authorization" for name in case.headers or {}):
                case._has_explicit_auth = True
            response = case.call(base_url=base_url, session=session)
            sent = {"base_url": base_url, "session": session}
            case.validate_response(response, checks=checks, transport_kwargs=sent)
        except FailureGroup as group:
            answer = f"{response.status_code} {response.text[:160]!r}"
            for failure in group.exceptions:
                if isinstance(failure, AcceptedNegativeData) and (
                    _scalar_for_a_repeated_query_parameter(case, operation)
                    or _only_undeclared_query_parameters(case, operation)
                    or _form_fields_become_valid_text(case, operation)
                ):
                    continue
                line = f"{operation.label} as {identity.name}: {failure.title} ({answer}) <- {_request(case)}"
                if isinstance(failure, ServerError):
                    run.server_errors.append(line)
                run.failures.append(line)
        except requests.RequestException as exc:
            run.failures.append(f"{operation.label} as {identity.name}: transport error {exc!r}")

    with contextlib.suppress(Unsatisfiable):  # nothing to generate in this mode (no input a negative case can break)
        one()


def _scalar_for_a_repeated_query_parameter(case: Any, operation: Any) -> bool:
    """A negative case that only broke the query by giving an array parameter (``?tag=a&tag=b``) a scalar, every
    other parameter valid: on the wire ``?tag=5.2e16`` is a valid one-item array of strings, so accepting it is
    right, not a violation."""
    negated = {location for location, info in case.meta.components.items() if info.mode is GenerationMode.NEGATIVE}
    if negated != {ParameterLocation.QUERY}:
        return False
    query = case.query or {}
    schemas = {parameter.name: parameter.definition.get("schema", {}) for parameter in operation.query}
    scalar_for_array = False
    for name, value in query.items():
        schema = schemas.get(name, {})
        branches = [schema, *schema.get("oneOf", [])]
        if not isinstance(value, list) and "array" in {branch.get("type") for branch in branches}:
            scalar_for_array = True
        elif not Draft202012Validator(schema).is_valid(value):
            return False
    return scalar_for_array


def _only_undeclared_query_parameters(case: Any, operation: Any) -> bool:
    """A negative case that only added query parameters the operation does not declare, every declared one valid:
    OpenAPI cannot forbid extra query parameters, and a service may ignore them (cache busters, tracking tags), so
    accepting them is not a violation. (studio_service refuses them with 400, which is documented too.)"""
    negated = {location for location, info in case.meta.components.items() if info.mode is GenerationMode.NEGATIVE}
    # a negative path whose ids were swapped for seeded rows (see _exercise) is valid again: it does not count
    paths = {parameter.name: parameter.definition.get("schema", {}) for parameter in operation.path_parameters}
    path_valid = all(
        _valid_on_the_wire(paths.get(name, {}), value) for name, value in (case.path_parameters or {}).items()
    )
    if negated - ({ParameterLocation.PATH} if path_valid else set()) != {ParameterLocation.QUERY}:
        return False
    query = case.query or {}
    schemas = {parameter.name: parameter.definition.get("schema", {}) for parameter in operation.query}
    undeclared = [name for name in query if name not in schemas]
    declared_valid = all(_valid_on_the_wire(schemas[name], value) for name, value in query.items() if name in schemas)
    return bool(undeclared) and declared_valid


def _valid_on_the_wire(schema: Mapping[str, Any], value: Any) -> bool:
    """A query value as the server reads it: text, so ``"true"`` or ``"5"`` stand for the JSON values they spell."""
    if Draft202012Validator(schema).is_valid(value):
        return True
    try:
        return isinstance(value, str) and Draft202012Validator(schema).is_valid(json.loads(value))
    except ValueError:
        return False


def _form_fields(value: Any, schema: Mapping[str, Any]) -> Any:
    """A multipart form value as the server reads it: text, one field per list item; a field that is not an
    array keeps the last of its repeated values. None when nothing is sent."""
    items = [item for item in (value if isinstance(value, list) else [value]) if item is not None]
    texts = [item if isinstance(item, str) else json.dumps(item) for item in items]
    if schema.get("type") == "array":
        return texts or None
    return texts[-1] if texts else None


def _form_fields_become_valid_text(case: Any, operation: Any) -> bool:
    """A negative multipart body broken only by non-text values where the schema wants text: on the wire every
    form field is text, so ``tags=2.5`` is a valid tag and accepting it is right, as for the query rule above.
    Files (bytes) are left as they are."""
    negated = {location for location, info in case.meta.components.items() if info.mode is GenerationMode.NEGATIVE}
    if negated != {ParameterLocation.BODY} or not isinstance(case.body, dict):
        return False
    if not (case.media_type or "").startswith("multipart/form-data"):
        return False
    content = operation.definition.raw.get("requestBody", {}).get("content", {})
    schema = content.get("multipart/form-data", {}).get("schema", {})
    properties = schema.get("properties", {})
    read = {name: _form_fields(value, properties[name]) for name, value in case.body.items() if name in properties}
    read = {name: value for name, value in read.items() if value is not None and name != "file"}
    text_only = {name: properties[name] for name in read}
    return Draft202012Validator({"type": "object", "properties": text_only}).is_valid(read)
