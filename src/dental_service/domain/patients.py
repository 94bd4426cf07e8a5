"""Patients: identity, contact, insurance and the clinical fields (allergies, medical notes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import phonenumbers

from dental_service.domain.errors import InvalidPatientData
from qhitz_shared.errors import InvalidInputError
from qhitz_shared.text import clean_text, normalize_email

MAX_NAME = 100
MAX_ADDRESS = 500
MAX_SHORT = 200
MAX_CLINICAL = 10_000
MAX_PHONE = 32
CLINICAL_FIELDS = ("allergies", "medical_notes")


def normalize_phone(value: str, *, field: str = "phone", error: type[InvalidInputError] = InvalidPatientData) -> str:
    """A phone number in E.164 (``+33612345678``), parsed with the phonenumbers library; international form
    (leading +) required, as the practice has patients from abroad."""
    try:
        number = phonenumbers.parse(value.strip(), None)
    except phonenumbers.NumberParseException:
        raise error(f"{field} must be an international number, as in +33 6 12 34 56 78", field=field) from None
    if not phonenumbers.is_valid_number(number):
        raise error(f"{field} is not a valid phone number", field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def name_text(value: str, field: str, error: type[InvalidInputError] = InvalidPatientData) -> str:
    text = clean_text(value, field=field, max_length=MAX_NAME, error=error)
    if not text:
        raise error(f"{field} cannot be empty", field=field)
    return text


def optional_text(value: str | None, field: str, max_length: int, *, multiline: bool = False) -> str | None:
    if value is None:
        return None
    return clean_text(value, field=field, max_length=max_length, multiline=multiline, error=InvalidPatientData) or None


def birth_date(value: date, today: date) -> date:
    if value > today:
        raise InvalidPatientData("date_of_birth cannot be in the future", field="date_of_birth")
    if value.year < 1880:
        raise InvalidPatientData("date_of_birth is too far in the past", field="date_of_birth")
    return value


@dataclass(slots=True)
class PatientDetails:
    """Every editable field, validated (``PatientDetails.clean``)."""

    first_name: str
    last_name: str
    date_of_birth: date
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    insurance_provider: str | None = None
    insurance_member_id: str | None = None
    allergies: str | None = None
    medical_notes: str | None = None

    def clean(self, today: date) -> PatientDetails:
        """The same details normalised: NFC text, E.164 phones, lower-case email; InvalidPatientData otherwise."""
        return PatientDetails(
            first_name=name_text(self.first_name, "first_name"),
            last_name=name_text(self.last_name, "last_name"),
            date_of_birth=birth_date(self.date_of_birth, today),
            email=None if not self.email else normalize_email(self.email, error=InvalidPatientData),
            phone=None if not self.phone else normalize_phone(self.phone),
            address=optional_text(self.address, "address", MAX_ADDRESS, multiline=True),
            emergency_contact_name=optional_text(self.emergency_contact_name, "emergency_contact_name", MAX_SHORT),
            emergency_contact_phone=None
            if not self.emergency_contact_phone
            else normalize_phone(self.emergency_contact_phone, field="emergency_contact_phone"),
            insurance_provider=optional_text(self.insurance_provider, "insurance_provider", MAX_SHORT),
            insurance_member_id=optional_text(self.insurance_member_id, "insurance_member_id", MAX_SHORT),
            allergies=optional_text(self.allergies, "allergies", MAX_CLINICAL, multiline=True),
            medical_notes=optional_text(self.medical_notes, "medical_notes", MAX_CLINICAL, multiline=True),
        )

    def clinical_changes(self, other: PatientDetails) -> list[str]:
        """The clinical fields whose value differs between ``self`` and ``other``."""
        return [name for name in CLINICAL_FIELDS if getattr(self, name) != getattr(other, name)]


@dataclass(slots=True)
class Patient:
    id: uuid.UUID
    details: PatientDetails
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PatientFilter:
    q: str | None = None
    active_only: bool = False


@dataclass(frozen=True, slots=True)
class ClinicalAccess:
    """One line of the append-only access log: who read or changed which clinical fields of whom, and when."""

    patient_id: uuid.UUID
    actor: str
    action: str  # "read" or "write"
    fields: tuple[str, ...]
    at: datetime
    id: uuid.UUID
