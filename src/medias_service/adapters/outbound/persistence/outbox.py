"""mediasdb's outbox: the shared table and store (qhitz_shared.outbox), on this database's table."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import outbox_event
from medias_service.domain.events import Event
from qhitz_shared.outbox import store


async def record_event(session: AsyncSession, event: Event) -> None:
    await store.record_event(session, outbox_event, event)


class SqlaOutboxStore(store.SqlaOutboxStore):
    table = outbox_event
