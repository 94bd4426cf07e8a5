"""Plans and credit packs sold through Stripe, and subscription state taken from the newest event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class OfferKind(StrEnum):
    PLAN = "plan"  # a subscription: its monthly allowance is granted once per paid invoice
    PACK = "pack"  # a one-off payment: its credits are granted once per completed checkout


@dataclass(frozen=True, slots=True)
class Offer:
    code: str
    kind: OfferKind
    price_id: str  # the Stripe Price
    credits: int


@dataclass(frozen=True, slots=True)
class Subscription:
    user_id: uuid.UUID
    subscription_id: str
    plan: str
    status: str  # Stripe's: active, past_due, canceled, ...
    current_period_end: datetime | None
    event_created: int  # the Stripe event (unix seconds) this state came from
    updated_at: datetime | None = None

    @property
    def ended(self) -> bool:
        return self.status == "canceled"


def newer(stored: Subscription | None, event_created: int, deleted: bool) -> bool:
    """Whether an event about a subscription may replace the stored state: only a newer event, and never one that
    would bring back a deleted subscription (a late "updated(active)" after "deleted"); a "deleted" of the same
    second wins over an "updated"."""
    if stored is None:
        return True
    if stored.ended:
        return False
    if event_created > stored.event_created:
        return True
    return deleted and event_created == stored.event_created
