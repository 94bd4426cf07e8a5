"""The dental domain's rules without any I/O: the status machine, working hours across a DST change, free slots,
tooth/surface/code rules, exact money and the ledger's signs."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dental_service.domain.appointments import (
    TRANSITIONS,
    Appointment,
    AppointmentStatus,
    free_slots,
    require_working_hours,
)
from dental_service.domain.billing import EntryKind, PaymentStatus, entry_amount, payment_status
from dental_service.domain.dentists import Dentist, DentistDetails, Shift
from dental_service.domain.errors import (
    InvalidLedgerEntry,
    InvalidTransition,
    InvalidTreatmentData,
    OutsideWorkingHours,
)
from dental_service.domain.patients import normalize_phone
from dental_service.domain.treatments import money, procedure_code, surfaces, tooth

PARIS = ZoneInfo("Europe/Paris")
S = AppointmentStatus


def dentist() -> Dentist:
    hours = {day: Shift(time(9), time(17)) for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    return Dentist(uuid.uuid4(), DentistDetails("A", "B", "L1", working_hours=hours))


def booked(status: S = S.BOOKED) -> Appointment:
    return Appointment(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), datetime(2031, 1, 6, 8, tzinfo=UTC), 30, status)


def test_only_the_documented_transitions_are_allowed():
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert allowed == {
        (S.BOOKED, S.ARRIVED), (S.ARRIVED, S.IN_PROGRESS), (S.IN_PROGRESS, S.COMPLETED),
        (S.BOOKED, S.CANCELLED), (S.ARRIVED, S.CANCELLED), (S.BOOKED, S.NO_SHOW), (S.ARRIVED, S.NO_SHOW),
    }  # fmt: skip
    for current in S:
        for target in S:
            appointment = booked(current)
            if (current, target) in allowed:
                appointment.move_to(target, "because")
                assert appointment.status is target
            else:
                with pytest.raises(InvalidTransition):
                    appointment.move_to(target, "because")


def test_working_hours_are_wall_clock_times_of_the_practice_across_dst():
    # 09:00 in Paris is 08:00Z in winter and 07:00Z in summer
    require_working_hours(dentist(), datetime(2031, 1, 6, 8, tzinfo=UTC), 30, PARIS)
    require_working_hours(dentist(), datetime(2031, 7, 7, 7, tzinfo=UTC), 30, PARIS)
    with pytest.raises(OutsideWorkingHours):
        require_working_hours(dentist(), datetime(2031, 7, 7, 6, 45, tzinfo=UTC), 30, PARIS)
    with pytest.raises(OutsideWorkingHours):
        require_working_hours(dentist(), datetime(2031, 1, 6, 15, 45, tzinfo=UTC), 30, PARIS)  # ends 17:15
    with pytest.raises(OutsideWorkingHours):
        require_working_hours(dentist(), datetime(2031, 1, 4, 10, tzinfo=UTC), 30, PARIS)  # a Saturday


def test_free_slots_skip_busy_ranges_and_the_past():
    day = date(2031, 1, 6)
    busy = [(datetime(2031, 1, 6, 9, tzinfo=UTC), datetime(2031, 1, 6, 10, tzinfo=UTC))]  # 10:00-11:00 Paris
    slots = free_slots(dentist(), day, 60, busy, PARIS, step_minutes=30, not_before=datetime(2030, 1, 1, tzinfo=UTC))
    starts = [slot.start_at.astimezone(PARIS).strftime("%H:%M") for slot in slots]
    assert starts == ["09:00", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "15:00",
                      "15:30", "16:00"]  # fmt: skip
    later = datetime(2031, 1, 6, 14, tzinfo=UTC)  # 15:00 Paris
    assert free_slots(dentist(), day, 60, busy, PARIS, step_minutes=30, not_before=later)[0].start_at == later
    assert free_slots(dentist(), day + timedelta(days=5), 30, [], PARIS, step_minutes=15, not_before=later) == []


@pytest.mark.parametrize(("given", "stored"), [("1", "1"), ("032", "32"), ("a", "A"), ("T", "T"), (None, None)])
def test_universal_tooth_numbers(given, stored):
    assert tooth(given) == stored


@pytest.mark.parametrize("given", ["33", "0", "U", "1A", "-1"])
def test_teeth_outside_universal_numbering_are_refused(given):
    with pytest.raises(InvalidTreatmentData):
        tooth(given)


def test_surfaces_and_codes():
    assert surfaces("lbfidom") == "MODBLIF"
    assert procedure_code(" d0120 ") == "D0120"
    for bad in ("MOX", "OO"):
        with pytest.raises(InvalidTreatmentData):
            surfaces(bad)
    with pytest.raises(InvalidTreatmentData):
        procedure_code("D12345")


def test_money_is_exact_with_two_decimals():
    assert money(Decimal("7"), "fee") == Decimal("7.00")
    for bad in (Decimal("0.001"), Decimal("-1"), Decimal("1E+9"), Decimal("NaN")):
        with pytest.raises(InvalidTreatmentData):
            money(bad, "fee")


def test_ledger_signs_and_payment_status():
    assert entry_amount(EntryKind.PAYMENT, Decimal("10")) == Decimal("10.00")
    assert entry_amount(EntryKind.REFUND, Decimal("10")) == Decimal("-10.00")
    assert entry_amount(EntryKind.REFUND, Decimal("-10")) == Decimal("-10.00")
    assert entry_amount(EntryKind.ADJUSTMENT, Decimal("-5.50")) == Decimal("-5.50")
    for kind, amount in ((EntryKind.PAYMENT, Decimal("-1")), (EntryKind.ADJUSTMENT, Decimal("0"))):
        with pytest.raises(InvalidLedgerEntry):
            entry_amount(kind, amount)
    fee = Decimal("100.00")
    assert payment_status(fee, Decimal("0.00")) is PaymentStatus.UNPAID
    assert payment_status(fee, Decimal("99.99")) is PaymentStatus.PARTIAL
    assert payment_status(fee, Decimal("100.00")) is PaymentStatus.PAID
    assert payment_status(Decimal("0.00"), Decimal("0.00")) is PaymentStatus.PAID


def test_phones_are_e164():
    assert normalize_phone("+33 6 12 34 56 78") == "+33612345678"
    assert normalize_phone("+1 (415) 555-2671") == "+14155552671"
