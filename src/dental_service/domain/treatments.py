"""Treatments: CDT-style procedure codes, Universal tooth numbering, surfaces, and fees as exact decimals."""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dental_service.domain.errors import InvalidTreatmentData
from qhitz_shared.errors import InvalidInputError
from qhitz_shared.text import clean_text

SURFACES = "MODBLIF"  # mesial, occlusal, distal, buccal, lingual, incisal, facial
_CODE = re.compile(r"^D\d{4}$")
# Universal numbering: permanent teeth 1-32, primary teeth A-T.
TEETH = frozenset({str(n) for n in range(1, 33)} | {chr(c) for c in range(ord("A"), ord("T") + 1)})
MAX_AMOUNT = Decimal("99999999.99")  # NUMERIC(10, 2)
CENT = Decimal("0.01")
MAX_TREATMENT_NAME = 200
MAX_TREATMENT_NOTES = 5000


class TreatmentStatus(enum.StrEnum):
    PLANNED = "planned"
    COMPLETED = "completed"


def procedure_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _CODE.match(code):
        raise InvalidTreatmentData(
            "procedure_code is a CDT code: D and four digits, as in D2391", field="procedure_code"
        )
    return code


def tooth(value: str | None) -> str | None:
    """'1'..'32' (permanent) or 'A'..'T' (primary), Universal numbering; leading zeros are dropped."""
    if value is None or not value.strip():
        return None
    text = value.strip().upper()
    text = str(int(text)) if text.isdigit() else text
    if text not in TEETH:
        raise InvalidTreatmentData("tooth is 1 to 32 or A to T (Universal numbering)", field="tooth")
    return text


def surfaces(value: str | None) -> str | None:
    """A subset of M O D B L I F, each at most once, returned in that canonical order ('DO' -> 'OD')."""
    if value is None or not value.strip():
        return None
    letters = value.strip().upper()
    if any(letter not in SURFACES for letter in letters) or len(set(letters)) != len(letters):
        raise InvalidTreatmentData("surfaces are distinct letters of M, O, D, B, L, I, F", field="surfaces")
    return "".join(letter for letter in SURFACES if letter in letters)


def money(
    value: Decimal, field: str, *, error: type[InvalidInputError] = InvalidTreatmentData, allow_negative: bool = False
) -> Decimal:
    """An exact amount with at most two decimals, |amount| <= 99,999,999.99; returned with exactly two."""
    try:
        if not value.is_finite() or value != value.quantize(CENT):
            raise InvalidOperation
    except InvalidOperation:
        raise error(f"{field} is an amount with at most two decimals", field=field) from None
    if abs(value) > MAX_AMOUNT or (value < 0 and not allow_negative):
        raise error(f"{field} is between {0 if not allow_negative else -MAX_AMOUNT} and {MAX_AMOUNT}", field=field)
    return value.quantize(CENT)


@dataclass(slots=True)
class TreatmentDetails:
    name: str
    performed_on: date
    fee: Decimal
    status: TreatmentStatus = TreatmentStatus.PLANNED
    procedure_code: str | None = None
    tooth: str | None = None
    surfaces: str | None = None
    notes: str | None = None
    appointment_id: uuid.UUID | None = None

    def clean(self) -> TreatmentDetails:
        name = clean_text(self.name, field="name", max_length=MAX_TREATMENT_NAME, error=InvalidTreatmentData)
        if not name:
            raise InvalidTreatmentData("name cannot be empty", field="name")
        notes = self.notes
        return TreatmentDetails(
            name=name,
            performed_on=self.performed_on,
            fee=money(self.fee, "fee"),
            status=self.status,
            procedure_code=procedure_code(self.procedure_code),
            tooth=tooth(self.tooth),
            surfaces=surfaces(self.surfaces),
            notes=None
            if notes is None
            else clean_text(
                notes, field="notes", max_length=MAX_TREATMENT_NOTES, multiline=True, error=InvalidTreatmentData
            )
            or None,
            appointment_id=self.appointment_id,
        )


@dataclass(slots=True)
class Treatment:
    id: uuid.UUID
    patient_id: uuid.UUID
    details: TreatmentDetails
    created_at: datetime | None = None
    updated_at: datetime | None = None
