"""The billing ledger: append-only entries against a patient; balances and payment status are derived from it.

Signs: an entry's ``amount`` is what it credits the patient's account. A payment is positive; a refund is the
same money going back, a negative entry with a reason; an adjustment (a discount, a write-off: positive; a
correction that charges: negative) always has a reason. A patient's balance is the fees of their completed
treatments minus the sum of the entries (positive: the patient owes). A treatment's payment status compares the
entries recorded against it with its fee.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from dental_service.domain.errors import InvalidLedgerEntry
from dental_service.domain.treatments import money
from qhitz_shared.text import clean_text

MAX_LEDGER_REASON = 500
ZERO = Decimal("0.00")


class EntryKind(enum.StrEnum):
    PAYMENT = "payment"
    ADJUSTMENT = "adjustment"
    REFUND = "refund"


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CARD = "card"
    TRANSFER = "transfer"
    CHEQUE = "cheque"
    INSURANCE = "insurance"


class PaymentStatus(enum.StrEnum):
    UNPAID = "unpaid"
    PARTIAL = "partial"
    PAID = "paid"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: uuid.UUID
    patient_id: uuid.UUID
    kind: EntryKind
    amount: Decimal
    entry_date: date
    recorded_by: str
    method: PaymentMethod | None = None
    treatment_id: uuid.UUID | None = None
    reason: str | None = None
    created_at: datetime | None = None


def entry_amount(kind: EntryKind, amount: Decimal) -> Decimal:
    """The signed ledger amount for what the client sent: payments > 0; refunds are sent positive or negative
    and stored negative; adjustments are signed and never zero."""
    value = money(amount, "amount", error=InvalidLedgerEntry, allow_negative=kind is not EntryKind.PAYMENT)
    if value == ZERO:
        raise InvalidLedgerEntry("amount cannot be zero", field="amount")
    if kind is EntryKind.PAYMENT and value < ZERO:
        raise InvalidLedgerEntry("a payment is a positive amount", field="amount")
    return -abs(value) if kind is EntryKind.REFUND else value


def entry_reason(kind: EntryKind, reason: str | None) -> str | None:
    text = (
        None
        if reason is None
        else clean_text(reason, field="reason", max_length=MAX_LEDGER_REASON, multiline=True, error=InvalidLedgerEntry)
    )
    if kind is not EntryKind.PAYMENT and not text:
        raise InvalidLedgerEntry(f"a {kind} needs a reason", field="reason")
    return text or None


def payment_status(fee: Decimal, credited: Decimal) -> PaymentStatus:
    if credited <= ZERO:
        return PaymentStatus.PAID if fee <= ZERO else PaymentStatus.UNPAID
    return PaymentStatus.PAID if credited >= fee else PaymentStatus.PARTIAL


@dataclass(frozen=True, slots=True)
class TreatmentBalance:
    treatment_id: uuid.UUID
    name: str
    fee: Decimal
    credited: Decimal
    status: str  # the treatment's status: planned / completed

    @property
    def payment_status(self) -> PaymentStatus:
        return payment_status(self.fee, self.credited)


@dataclass(frozen=True, slots=True)
class Balance:
    patient_id: uuid.UUID
    charged: Decimal  # fees of completed treatments
    credited: Decimal  # sum of the ledger
    treatments: list[TreatmentBalance]

    @property
    def balance(self) -> Decimal:
        return self.charged - self.credited
