"""Bodies of patients and the access log (snake_case JSON). Clinical fields are present only for callers with
dental:clinical:read, and never in lists."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import msgspec

from dental_service.domain.patients import (
    MAX_ADDRESS,
    MAX_CLINICAL,
    MAX_NAME,
    MAX_PHONE,
    MAX_SHORT,
    ClinicalAccess,
    Patient,
)
from qhitz_shared.http.inputs import Text
from qhitz_shared.text import MAX_EMAIL

Name = Text(MAX_NAME, min_length=1)
Email = Text(MAX_EMAIL)
Phone = Text(MAX_PHONE, normalised=False)
Short = Text(MAX_SHORT)
Address = Text(MAX_ADDRESS)
Clinical = Text(MAX_CLINICAL)
Minutes = Annotated[int, msgspec.Meta(ge=5, le=480)]
Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class PatientIn(msgspec.Struct, forbid_unknown_fields=True):
    """POST and PUT: every field; the clinical ones (allergies, medical_notes) need dental:clinical:write and,
    when left out of a PUT, keep their value."""

    first_name: Name
    last_name: Name
    date_of_birth: date
    email: Email | None = None
    phone: Phone | None = None
    address: Address | None = None
    emergency_contact_name: Short | None = None
    emergency_contact_phone: Phone | None = None
    insurance_provider: Short | None = None
    insurance_member_id: Short | None = None
    allergies: Clinical | Unset | None = UNSET
    medical_notes: Clinical | Unset | None = UNSET


class PatientPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; null clears an optional one."""

    first_name: Name | Unset = UNSET
    last_name: Name | Unset = UNSET
    date_of_birth: date | Unset = UNSET
    email: Email | Unset | None = UNSET
    phone: Phone | Unset | None = UNSET
    address: Address | Unset | None = UNSET
    emergency_contact_name: Short | Unset | None = UNSET
    emergency_contact_phone: Phone | Unset | None = UNSET
    insurance_provider: Short | Unset | None = UNSET
    insurance_member_id: Short | Unset | None = UNSET
    allergies: Clinical | Unset | None = UNSET
    medical_notes: Clinical | Unset | None = UNSET
    active: bool | Unset = UNSET


def sent(body: msgspec.Struct) -> dict[str, object]:
    """The fields of ``body`` that were sent (UNSET left out)."""
    return {name: value for name in body.__struct_fields__ if (value := getattr(body, name)) is not UNSET}


class PatientOut(msgspec.Struct, omit_defaults=True):
    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date
    email: str | None
    phone: str | None
    address: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    insurance_provider: str | None
    insurance_member_id: str | None
    active: bool
    created_at: datetime | None
    updated_at: datetime | None
    allergies: str | Unset | None = UNSET
    medical_notes: str | Unset | None = UNSET

    @classmethod
    def of(cls, patient: Patient, *, clinical: bool = False) -> PatientOut:
        d = patient.details
        return cls(
            id=patient.id,
            first_name=d.first_name,
            last_name=d.last_name,
            date_of_birth=d.date_of_birth,
            email=d.email,
            phone=d.phone,
            address=d.address,
            emergency_contact_name=d.emergency_contact_name,
            emergency_contact_phone=d.emergency_contact_phone,
            insurance_provider=d.insurance_provider,
            insurance_member_id=d.insurance_member_id,
            active=patient.active,
            created_at=patient.created_at,
            updated_at=patient.updated_at,
            allergies=d.allergies if clinical else UNSET,
            medical_notes=d.medical_notes if clinical else UNSET,
        )


class AccessOut(msgspec.Struct):
    id: uuid.UUID
    patient_id: uuid.UUID
    actor: str
    action: str
    fields: list[str]
    at: datetime

    @classmethod
    def of(cls, entry: ClinicalAccess) -> AccessOut:
        return cls(entry.id, entry.patient_id, entry.actor, entry.action, list(entry.fields), entry.at)
