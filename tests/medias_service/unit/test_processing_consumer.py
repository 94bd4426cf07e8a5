"""The processing queue's consumer with fakes for the broker, the message and the job: where each message goes."""

from __future__ import annotations

import errno
import uuid
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest

from medias_service.adapters.inbound.amqp.processing import ProcessingConsumer
from medias_service.domain.processing import RetryPolicy
from qhitz_shared.amqp.topology import ATTEMPT_HEADER, ERROR_HEADER, OUTAGES_HEADER, Topology
from qhitz_shared.errors import DependencyUnavailableError

TOPOLOGY = Topology("t", (10.0, 20.0, 40.0, 80.0))


@dataclass
class RawMessage:
    body: bytes
    headers: dict[str, Any] = field(default_factory=dict)
    message_id: str = "m-1"
    type: str = "media.version.created"
    content_type: str = "application/json"


class FakeMessage:
    def __init__(self, body: bytes, headers: dict[str, Any] | None = None) -> None:
        self.raw_message = RawMessage(body, headers or {})
        self.message_id = self.raw_message.message_id
        self.settled: list[str] = []

    async def ack(self) -> None:
        self.settled.append("ack")

    async def nack(self, requeue: bool = True) -> None:
        self.settled.append(f"nack requeue={requeue}")


class FakeBroker:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.published: list[dict[str, Any]] = []

    async def publish(self, body: bytes, **options: Any) -> None:
        if self.fail:
            raise ConnectionError("broker gone")
        self.published.append({"body": body, **options})


class FakePipeline:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple[Any, ...]] = []

    async def run(self, version_id: uuid.UUID) -> None:
        self.calls.append(("run", version_id))
        if self.error:
            raise self.error

    async def postpone(self, version_id: uuid.UUID) -> None:
        self.calls.append(("postpone", version_id))

    async def give_up(self, version_id: uuid.UUID, error: str, *, attempts: int) -> None:
        self.calls.append(("give_up", version_id, error, attempts))


VERSION = uuid.uuid4()
BODY = msgspec.json.encode({"media_id": str(uuid.uuid4()), "version_id": str(VERSION)})


def consumer(broker: FakeBroker) -> ProcessingConsumer:
    return ProcessingConsumer(broker, TOPOLOGY, RetryPolicy(), concurrency=2)  # type: ignore[arg-type]


async def test_a_done_job_is_acknowledged():
    broker, message, pipeline = FakeBroker(), FakeMessage(BODY), FakePipeline()
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert (message.settled, pipeline.calls, broker.published) == (["ack"], [("run", VERSION)], [])


async def test_a_failed_attempt_waits_in_the_delay_queue_for_its_attempt():
    broker, pipeline = FakeBroker(), FakePipeline(OSError("disk"))
    message = FakeMessage(BODY, {ATTEMPT_HEADER: 2, "x-delivery-count": 1})
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert pipeline.calls == [("run", VERSION), ("postpone", VERSION)]
    [copy] = broker.published
    assert copy["routing_key"] == "t.delay.20000ms" and copy["exchange"] is None
    assert copy["headers"][ATTEMPT_HEADER] == 3
    assert copy["headers"][ERROR_HEADER] == "OSError: disk"
    assert "x-delivery-count" not in copy["headers"]
    assert (copy["persist"], copy["body"], message.settled) == (True, BODY, ["ack"])


async def test_the_last_attempt_fails_the_version_and_parks_the_message():
    broker, pipeline = FakeBroker(), FakePipeline(OSError("disk"))
    message = FakeMessage(BODY, {ATTEMPT_HEADER: 5})
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert pipeline.calls[-1] == ("give_up", VERSION, "OSError: disk", 5)
    [copy] = broker.published
    assert copy["exchange"].name == "t.dead"
    assert message.settled == ["ack"]


async def test_a_message_that_keeps_killing_workers_fails_without_running_again():
    broker, pipeline = FakeBroker(), FakePipeline()
    message = FakeMessage(BODY, {"x-delivery-count": 10})
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert pipeline.calls == [("give_up", VERSION, "the worker stopped 10 times while processing it", 10)]
    assert broker.published[0]["exchange"].name == "t.dead" and message.settled == ["ack"]


async def test_an_unreadable_message_is_parked_with_the_reason():
    broker, pipeline = FakeBroker(), FakePipeline()
    message = FakeMessage(b"{not json")
    await consumer(broker).handle(b"{not json", message, pipeline)  # type: ignore[arg-type]
    assert pipeline.calls == []
    assert broker.published[0]["headers"][ERROR_HEADER].startswith("Unreadable message")
    assert message.settled == ["ack"]


@pytest.mark.parametrize(
    ("headers", "properties"),
    [
        ({ATTEMPT_HEADER: "abc"}, {}),
        ({ATTEMPT_HEADER: 0}, {}),
        ({ATTEMPT_HEADER: True}, {}),
        ({ATTEMPT_HEADER: 10**12}, {}),
        ({ATTEMPT_HEADER: ["1"]}, {}),
        ({"x-delivery-count": "many"}, {}),
        ({"x-delivery-count": -1}, {}),
        ({}, {"content_type": "text/plain"}),
        ({}, {"type": "media.processed"}),
        ({}, {"headers": "not a table"}),
    ],
)
async def test_a_message_with_unreadable_headers_or_properties_is_parked_once(headers, properties):
    broker, pipeline = FakeBroker(), FakePipeline()
    message = FakeMessage(BODY, headers)
    for name, value in properties.items():
        setattr(message.raw_message, name, value)
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert pipeline.calls == []
    assert len(broker.published) == 1
    assert broker.published[0]["exchange"] == TOPOLOGY.dead
    assert broker.published[0]["headers"][ERROR_HEADER].startswith("Unreadable message")
    assert message.settled == ["ack"]


async def test_an_error_outside_the_job_still_parks_the_message():
    async def a_bug(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a bug after the job")

    broker, message = FakeBroker(), FakeMessage(BODY, {"x-delivery-count": 99})
    worker = consumer(broker)
    worker._failed = a_bug  # type: ignore[method-assign]
    await worker.handle(BODY, message, FakePipeline())  # type: ignore[arg-type]
    assert broker.published[0]["headers"][ERROR_HEADER].startswith("Worker error: AssertionError")
    assert message.settled == ["ack"]


async def test_a_stopping_worker_hands_back_what_it_has_not_started():
    broker, pipeline, message = FakeBroker(), FakePipeline(), FakeMessage(BODY)
    worker = consumer(broker)
    worker.stop_taking()
    await worker.handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert (pipeline.calls, message.settled) == ([], ["nack requeue=True"])


async def test_when_the_retry_cannot_be_published_the_message_goes_back_to_the_queue():
    broker, pipeline, message = FakeBroker(fail=True), FakePipeline(OSError("disk")), FakeMessage(BODY)
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert message.settled == ["nack requeue=True"]


class GiveUpFails(FakePipeline):
    async def give_up(self, version_id: uuid.UUID, error: str, *, attempts: int) -> None:
        await super().give_up(version_id, error, attempts=attempts)
        raise ConnectionRefusedError(111, "Connect call failed")


@pytest.mark.parametrize(
    "outage",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),
        DependencyUnavailableError("storage"),
        OSError(errno.EIO, "Input/output error"),
    ],
)
async def test_an_outage_spends_no_attempt_even_on_the_last_one(outage: Exception):
    broker, pipeline = FakeBroker(), FakePipeline(outage)
    message = FakeMessage(BODY, {ATTEMPT_HEADER: 5})
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    assert pipeline.calls == [("run", VERSION)]  # neither postponed nor given up
    [republished] = broker.published
    assert republished["routing_key"] == "t.delay.10000ms"
    assert (republished["headers"][ATTEMPT_HEADER], republished["headers"][OUTAGES_HEADER]) == (5, 1)
    assert message.settled == ["ack"]


async def test_the_wait_grows_with_the_outage_up_to_the_longest_of_the_schedule():
    waits = []
    for outages in (1, 2, 3, 9):
        broker = FakeBroker()
        message = FakeMessage(BODY, {ATTEMPT_HEADER: 2, OUTAGES_HEADER: outages})
        await consumer(broker).handle(BODY, message, FakePipeline(TimeoutError()))  # type: ignore[arg-type]
        waits.append(broker.published[0]["routing_key"])
        assert broker.published[0]["headers"][OUTAGES_HEADER] == outages + 1
    assert waits == ["t.delay.20000ms", "t.delay.40000ms", "t.delay.80000ms", "t.delay.80000ms"]


async def test_a_last_attempt_whose_failure_cannot_be_recorded_waits_instead_of_being_parked():
    broker, pipeline = FakeBroker(), GiveUpFails(RuntimeError("corrupt"))
    message = FakeMessage(BODY, {ATTEMPT_HEADER: 5})
    await consumer(broker).handle(BODY, message, pipeline)  # type: ignore[arg-type]
    [republished] = broker.published
    assert republished["exchange"] is None and republished["routing_key"].startswith("t.delay.")
    assert republished["headers"][ATTEMPT_HEADER] == 5  # the next run is the last attempt again
    assert message.settled == ["ack"]


async def test_a_real_failure_after_an_outage_counts_and_resets_the_outage_count():
    broker = FakeBroker()
    message = FakeMessage(BODY, {ATTEMPT_HEADER: 2, OUTAGES_HEADER: 7})
    await consumer(broker).handle(BODY, message, FakePipeline(RuntimeError("bad")))  # type: ignore[arg-type]
    headers = broker.published[0]["headers"]
    assert headers[ATTEMPT_HEADER] == 3 and OUTAGES_HEADER not in headers
