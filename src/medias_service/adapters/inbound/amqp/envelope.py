"""Reading a processing message in full (body, headers, properties) before anything acts on it: a message that
fails here is parked once with the reason, so no field of a malformed message can raise later in the worker."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from medias_service.domain.events import PROCESSING_EVENTS
from qhitz_shared.amqp.topology import ATTEMPT_HEADER, OUTAGES_HEADER

# Set by quorum queues on a message delivered again after its consumer went away without settling it.
DELIVERY_COUNT_HEADER = "x-delivery-count"
# Far beyond any retry schedule or broker delivery limit: a larger count is not one we wrote.
MAX_COUNT = 10_000
_JSON = "application/json"


class JobMessage(msgspec.Struct):
    media_id: uuid.UUID
    version_id: uuid.UUID


class UnreadableMessage(ValueError):
    """The message cannot be read as a processing job; ``str()`` says which part and why."""


@dataclass(frozen=True, slots=True)
class Job:
    media_id: uuid.UUID
    version_id: uuid.UUID
    attempt: int  # this run's number, from 1
    deliveries: int  # times the broker delivered it again after a consumer vanished holding it
    outages: int  # runs in a row an infrastructure outage stopped (they spend no attempt)
    headers: dict[str, Any]


def message_headers(raw: Any) -> dict[str, Any]:
    """The headers as a dict, whatever the message carries (an unreadable message is republished with these)."""
    headers = getattr(raw, "headers", None)
    return {str(key): value for key, value in headers.items()} if isinstance(headers, Mapping) else {}


def _count(headers: Mapping[str, Any], name: str, default: int, minimum: int) -> int:
    value = headers.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_COUNT:
        raise UnreadableMessage(f"header {name} must be an integer from {minimum} to {MAX_COUNT}, not {value!r:.80}")
    return value


def read_job(body: bytes, raw: Any) -> Job:
    """The job a delivered message asks for. Raises UnreadableMessage for anything malformed."""
    content_type = getattr(raw, "content_type", None)
    if content_type and content_type.split(";")[0].strip().lower() != _JSON:
        raise UnreadableMessage(f"content type {content_type!r:.80} is not {_JSON}")
    message_type = getattr(raw, "type", None)
    if message_type and message_type not in PROCESSING_EVENTS:
        raise UnreadableMessage(f"message type {message_type!r:.80} is not a processing request")
    headers = getattr(raw, "headers", None)
    if headers is not None and not isinstance(headers, Mapping):
        raise UnreadableMessage("headers are not a table")
    headers = message_headers(raw)
    try:
        decoded = msgspec.json.decode(body, type=JobMessage)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise UnreadableMessage(f"body: {exc}") from exc
    attempt = _count(headers, ATTEMPT_HEADER, 1, 1)
    deliveries = _count(headers, DELIVERY_COUNT_HEADER, 0, 0)
    outages = _count(headers, OUTAGES_HEADER, 0, 0)
    return Job(decoded.media_id, decoded.version_id, attempt, deliveries, outages, headers)
