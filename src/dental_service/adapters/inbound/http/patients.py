"""/api/v1/dental/patients and the clinical access log."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from dental_service.adapters.inbound.http.dto_patients import AccessOut, PatientIn, PatientOut, PatientPatch, sent
from dental_service.domain.patients import CLINICAL_FIELDS, MAX_NAME, PatientDetails, PatientFilter
from dental_service.domain.practice import Viewer
from dental_service.services.patients import PatientService
from qhitz_shared.http.inputs import query_text, text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission
from qhitz_shared.principal import Principal

READ, WRITE = require_permission("dental:patients:read"), require_permission("dental:patients:write")


def viewer(principal: Principal) -> Viewer:
    return Viewer(principal.subject, principal.permissions)


class PatientsController(Controller):
    path = "/api/v1/dental/patients"
    tags = ["dental: patients"]

    @get("/", guards=[READ], summary="Search patients (no clinical fields in lists)")
    async def list_patients(
        self,
        patients: FromDishka[PatientService],
        page_request: Paging,
        q: Annotated[str | None, text_param(MAX_NAME, description="part of a name, the email or phone")] = None,
        active_only: FromQuery[bool] = False,
    ) -> Page[PatientOut]:
        items, total = await patients.search(PatientFilter(q=query_text(q), active_only=active_only), page_request)
        return page_of([PatientOut.of(patient) for patient in items], total, page_request)

    @post("/", guards=[WRITE], summary="Register a patient", responses=problems(403, 422))
    async def create_patient(
        self, data: JSONBody[PatientIn], principal: Caller, patients: FromDishka[PatientService]
    ) -> PatientOut:
        details = PatientDetails(**sent(data))  # type: ignore[arg-type]
        patient = await patients.register(viewer(principal), details)
        return PatientOut.of(patient, clinical=viewer(principal).clinical_read)

    @get("/{patient_id:uuid}", guards=[READ], summary="One patient; clinical fields with dental:clinical:read")
    async def get_patient(
        self, patient_id: FromPath[uuid.UUID], principal: Caller, patients: FromDishka[PatientService]
    ) -> PatientOut:
        patient = await patients.get(viewer(principal), patient_id)
        return PatientOut.of(patient, clinical=viewer(principal).clinical_read)

    @put("/{patient_id:uuid}", guards=[WRITE], summary="Replace a patient's fields", responses=problems(403, 422))
    async def put_patient(
        self,
        patient_id: FromPath[uuid.UUID],
        data: JSONBody[PatientIn],
        principal: Caller,
        patients: FromDishka[PatientService],
    ) -> PatientOut:
        changes = {name: getattr(data, name) for name in data.__struct_fields__ if name not in CLINICAL_FIELDS}
        changes |= {name: value for name, value in sent(data).items() if name in CLINICAL_FIELDS}
        patient = await patients.update(viewer(principal), patient_id, changes)
        return PatientOut.of(patient, clinical=viewer(principal).clinical_read)

    @patch("/{patient_id:uuid}", guards=[WRITE], summary="Change some fields", responses=problems(403, 422))
    async def patch_patient(
        self,
        patient_id: FromPath[uuid.UUID],
        data: JSONBody[PatientPatch],
        principal: Caller,
        patients: FromDishka[PatientService],
    ) -> PatientOut:
        changes = sent(data)
        active = changes.pop("active", None)
        patient = await patients.update(viewer(principal), patient_id, changes)
        if active is not None:
            patient = await patients.set_active(patient_id, bool(active))
        return PatientOut.of(patient, clinical=viewer(principal).clinical_read)

    @delete("/{patient_id:uuid}", guards=[WRITE], status_code=200, summary="Deactivate (history is kept)")
    async def deactivate_patient(
        self, patient_id: FromPath[uuid.UUID], patients: FromDishka[PatientService]
    ) -> PatientOut:
        return PatientOut.of(await patients.set_active(patient_id, False))


class AccessLogController(Controller):
    path = "/api/v1/dental/access-log"
    tags = ["dental: patients"]

    @get("/", guards=[require_permission("dental:stats")], summary="Who read or changed clinical fields, newest first")
    async def list_access(
        self,
        patients: FromDishka[PatientService],
        page_request: Paging,
        patient_id: FromQuery[uuid.UUID | None] = None,
    ) -> Page[AccessOut]:
        items, total = await patients.access_log(patient_id, page_request)
        return page_of([AccessOut.of(entry) for entry in items], total, page_request)
