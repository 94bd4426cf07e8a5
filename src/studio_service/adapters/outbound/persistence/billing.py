"""Stripe event ids and subscription state in studiodb."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qhitz_shared.db import upsert
from qhitz_shared.outbox import store
from studio_service.adapters.outbound.persistence.models import outbox_event, stripe_events, subscriptions
from studio_service.domain.billing import Subscription


def _subscription(row: Any) -> Subscription:
    return Subscription(
        user_id=row.user_id,
        subscription_id=row.subscription_id,
        plan=row.plan,
        status=row.status,
        current_period_end=row.current_period_end,
        event_created=row.event_created,
        updated_at=row.updated_at,
    )


class SqlaBillingStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, event_id: str, event_type: str) -> bool:
        result = await self._session.execute(
            upsert(self._session, stripe_events)
            .values(id=event_id, type=event_type[:100])
            .on_conflict_do_nothing(index_elements=["id"])
        )
        return bool(result.rowcount)

    async def subscription(self, subscription_id: str, *, lock: bool = False) -> Subscription | None:
        statement = select(subscriptions).where(subscriptions.c.subscription_id == subscription_id)
        row = (await self._session.execute(statement.with_for_update() if lock else statement)).first()
        return _subscription(row) if row else None

    async def save_subscription(self, subscription: Subscription) -> None:
        """Insert, or replace a stored state that is older and not ended (two deliveries racing keep the newer)."""
        values = {
            "subscription_id": subscription.subscription_id,
            "user_id": subscription.user_id,
            "plan": subscription.plan,
            "status": subscription.status,
            "current_period_end": subscription.current_period_end,
            "event_created": subscription.event_created,
        }
        statement = upsert(self._session, subscriptions).values(**values)
        stored = subscriptions.c
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["subscription_id"],
                set_={key: statement.excluded[key] for key in values if key != "subscription_id"},
                where=(stored.status != "canceled")
                & or_(
                    stored.event_created < statement.excluded.event_created,
                    (stored.event_created == statement.excluded.event_created)
                    & (statement.excluded.status == "canceled"),
                ),
            )
        )

    async def current(self, user_id: uuid.UUID) -> Subscription | None:
        row = (
            await self._session.execute(
                select(subscriptions)
                .where(subscriptions.c.user_id == user_id)
                .order_by(subscriptions.c.event_created.desc())
                .limit(1)
            )
        ).first()
        return _subscription(row) if row else None


class SqlaStudioOutbox(store.SqlaOutboxStore):
    table = outbox_event
