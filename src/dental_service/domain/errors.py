"""dental_service's domain errors, each with a stable code."""

from __future__ import annotations

from qhitz_shared.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError


class PatientNotFound(NotFoundError):
    code = "patient_not_found"
    title = "Patient not found"


class DentistNotFound(NotFoundError):
    code = "dentist_not_found"
    title = "Dentist not found"


class AppointmentNotFound(NotFoundError):
    code = "appointment_not_found"
    title = "Appointment not found"


class TreatmentNotFound(NotFoundError):
    code = "treatment_not_found"
    title = "Treatment not found"


class InvalidPatientData(InvalidInputError):
    code = "invalid_patient_data"
    title = "The patient data is not valid"


class InvalidDentistData(InvalidInputError):
    code = "invalid_dentist_data"
    title = "The dentist data is not valid"


class InvalidAppointmentData(InvalidInputError):
    code = "invalid_appointment_data"
    title = "The appointment data is not valid"


class InvalidTreatmentData(InvalidInputError):
    code = "invalid_treatment_data"
    title = "The treatment data is not valid"


class InvalidLedgerEntry(InvalidInputError):
    code = "invalid_ledger_entry"
    title = "The ledger entry is not valid"


class OutsideWorkingHours(InvalidInputError):
    code = "outside_working_hours"
    title = "The appointment is outside the dentist's working hours"


class AppointmentConflict(ConflictError):
    """Another live appointment of the same dentist or patient overlaps; ``conflicting_appointment_id`` names it."""

    code = "appointment_conflict"
    title = "The dentist or the patient already has an appointment then"


class InvalidTransition(ConflictError):
    code = "invalid_transition"
    title = "The appointment cannot move to that status from its current one"


class LicenseNumberTaken(ConflictError):
    code = "license_number_taken"
    title = "Another dentist has this license number"


class DentistAccountTaken(ConflictError):
    code = "dentist_account_taken"
    title = "Another dentist is linked to this user account"


class InactiveRecord(ConflictError):
    code = "inactive_record"
    title = "The patient or dentist is not active"


class ClinicalAccessDenied(PermissionDeniedError):
    code = "clinical_access_denied"
    title = "Clinical fields need dental:clinical:write"


class NotADentist(NotFoundError):
    code = "not_a_dentist"
    title = "No dentist record is linked to your account"


class InvalidRange(InvalidInputError):
    code = "invalid_range"
    title = "The date range is not valid"
