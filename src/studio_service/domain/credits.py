"""The credit ledger's vocabulary. The ledger is append-only; a user's balance is the sum of their entries'
amounts and never negative; the account row holds that sum, changed only in the transaction of the entry that
changes it (so a hold is one conditional UPDATE: ``available >= price``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EntryKind(StrEnum):
    PURCHASE = "purchase"  # a credit pack bought through Stripe Checkout (+)
    SUBSCRIPTION = "subscription"  # a plan's monthly allowance, once per paid invoice (+)
    PROMOTION = "promotion"  # granted by an admin as a promotion (+)
    ADJUSTMENT = "adjustment"  # an admin's correction (+ or -)
    HOLD = "hold"  # a job's price set aside while it waits or runs (-)
    CAPTURE = "capture"  # the held price spent by a successful job (0: the hold already took it)
    RELEASE = "release"  # the held price given back by a failed or canceled job (+)


GRANTS = (EntryKind.PURCHASE, EntryKind.SUBSCRIPTION, EntryKind.PROMOTION, EntryKind.ADJUSTMENT)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: uuid.UUID
    user_id: uuid.UUID
    kind: EntryKind
    amount: int
    balance_after: int
    job_id: uuid.UUID | None
    reference: str | None
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Balance:
    user_id: uuid.UUID
    available: int
    held: int
