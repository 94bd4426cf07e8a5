"""mediasdb's outbox: events inserted in the caller's transaction, read and marked sent by the relay."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medias_service.adapters.outbound.persistence.models import outbox_event
from medias_service.domain.events import Event
from qhitz_shared.outbox import sqla


async def record_event(session: AsyncSession, event: Event) -> None:
    await sqla.record(session, outbox_event, event.name, event)


class SqlaOutboxStore(sqla.SqlaOutboxStore):
    table = outbox_event
