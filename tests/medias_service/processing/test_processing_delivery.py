"""No lost work: uploads keep succeeding while RabbitMQ is unreachable, and once it is back every version is
processed exactly once; relays running side by side share the outbox without sending an event twice."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from medias_service.adapters.outbound.persistence.models import outbox_event
from medias_service.adapters.outbound.persistence.outbox import SqlaOutboxStore, record_event
from medias_service.domain.events import VersionCreated
from medias_service.domain.processing import SIZES
from qhitz_shared.db import DatabaseSettings, SqlaUnitOfWork, create_engine
from qhitz_shared.outbox.events import OutgoingEvent
from qhitz_shared.outbox.relay import OutboxRelay
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import AMQP_URL, eventually, image_bytes
from tests.support import databases
from tests.support.proxy import TcpProxy

UPLOADS = 50


@pytest.fixture(scope="module")
def proxy():
    with TcpProxy() as running:
        yield running


@pytest.fixture(scope="module")
def worker_env(processing_env: dict[str, str], proxy: TcpProxy) -> dict[str, str]:
    """The worker (its consumer and its relay) reaches RabbitMQ only through the proxy."""
    return {**processing_env, "AMQP_URL": proxy.url(AMQP_URL)}


async def test_uploads_during_a_broker_outage_are_all_processed_once_it_is_back(
    client, make_user, worker, proxy, rows, broker
):
    user = await make_user()
    proxy.cut()
    media_ids = []
    for number in range(UPLOADS):
        media = await upload(client, user, image_bytes(320, 240, seed=number), filename=f"{number}.jpg")
        media_ids.append(media["id"])
    assert len(set(media_ids)) == UPLOADS

    async def unsent() -> int:
        found = await rows.fetch(
            "SELECT count(*) FROM outbox_event WHERE name = 'media.version.created' AND sent_at IS NULL "
            "AND payload->>'media_id' = ANY($1::text[])",
            media_ids,
        )
        return found[0][0]

    await asyncio.sleep(1)  # the relay keeps trying meanwhile, and must not get anything through
    assert await unsent() == UPLOADS
    assert set((await rows.statuses(media_ids)).values()) == {"pending"}

    proxy.restore()
    statuses = await eventually(
        lambda: rows.statuses(media_ids), lambda found: set(found.values()) == {"ready"}, timeout=120
    )
    assert len(statuses) == UPLOADS
    assert await unsent() == 0

    sizes = await rows.fetch(
        "SELECT m.id, s.name, s.status, s.blob_id FROM media_size s JOIN media_version v ON v.id = s.version_id "
        "JOIN media m ON m.id = v.media_id WHERE m.id = ANY($1::uuid[])",
        [uuid.UUID(media_id) for media_id in media_ids],
    )
    per_media = Counter(str(row["id"]) for row in sizes)
    assert per_media == dict.fromkeys(media_ids, len(SIZES))
    assert {row["status"] for row in sizes} == {"ready"}
    assert all(row["blob_id"] for row in sizes)
    events = await rows.fetch(
        "SELECT name, payload->>'media_id' AS media_id FROM outbox_event WHERE payload->>'media_id' = ANY($1::text[])",
        media_ids,
    )
    counted = Counter((event["name"], event["media_id"]) for event in events)
    assert counted == {
        **{("media.version.created", media_id): 1 for media_id in media_ids},
        **{("media.processed", media_id): 1 for media_id in media_ids},  # processed once each, never twice
    }
    assert (await broker.queue(broker.topology.processing.name))[0] == 0
    assert (await broker.queue(broker.topology.parking.name))[0] == 0
    assert worker.process.poll() is None


class RecordingPublisher:
    """An EventPublisher that remembers what it was given (and yields, so relays interleave)."""

    def __init__(self) -> None:
        self.published: list[uuid.UUID] = []

    async def publish(self, event: OutgoingEvent) -> None:
        await asyncio.sleep(0.002)
        self.published.append(event.id)


@pytest.fixture
def outbox_db_url():
    name = databases.create_database("medias_outbox")
    try:
        url = databases.async_url(name)
        databases.migrate("medias", url)
        yield url
    finally:
        databases.drop_database(name)


async def test_relays_side_by_side_send_each_event_exactly_once(outbox_db_url: str):
    engine = create_engine(DatabaseSettings(url=outbox_db_url))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as session:
            for _ in range(300):
                await record_event(session, VersionCreated(uuid.uuid4(), uuid.uuid4()))
            await session.commit()
        publishers = [RecordingPublisher() for _ in range(3)]

        async def drain(publisher: RecordingPublisher) -> None:
            async with sessions() as session:
                relay = OutboxRelay(SqlaOutboxStore(session), publisher, SqlaUnitOfWork(session))
                while await relay.relay_batch(limit=20):
                    pass

        await asyncio.gather(*(drain(publisher) for publisher in publishers))
        published = Counter(event_id for publisher in publishers for event_id in publisher.published)
        async with sessions() as session:
            recorded = set(await session.scalars(select(outbox_event.c.id)))
            unsent = await session.scalar(select(func.count()).where(outbox_event.c.sent_at.is_(None)))
        assert set(published) == recorded and len(recorded) == 300
        assert max(published.values()) == 1
        assert unsent == 0
        assert all(publisher.published for publisher in publishers)  # the work was shared
    finally:
        await engine.dispose()
