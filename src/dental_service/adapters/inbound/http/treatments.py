"""/api/v1/dental/treatments: clinical records of procedures (dental:clinical:*)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from dishka import FromDishka
from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from dental_service.adapters.inbound.http.dto_billing import TreatmentIn, TreatmentOut, TreatmentPatch
from dental_service.adapters.inbound.http.dto_patients import sent
from dental_service.domain.treatments import TreatmentDetails, TreatmentStatus
from dental_service.services.treatments import TreatmentService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import require_permission


def exact(fields: dict[str, object]) -> dict[str, object]:
    """The fee, sent as decimal text, as a Decimal."""
    if "fee" in fields:
        fields["fee"] = Decimal(str(fields["fee"]))
    return fields


READ = require_permission("dental:clinical:read")
WRITE = require_permission("dental:clinical:write")


class TreatmentsController(Controller):
    path = "/api/v1/dental/treatments"
    tags = ["dental: treatments"]

    @get("/", guards=[READ], summary="Treatments, most recent first")
    async def list_treatments(
        self,
        treatments: FromDishka[TreatmentService],
        page_request: Paging,
        patient_id: FromQuery[uuid.UUID | None] = None,
        status: FromQuery[TreatmentStatus | None] = None,
    ) -> Page[TreatmentOut]:
        items, total = await treatments.list(patient_id, status, page_request)
        return page_of([TreatmentOut.of(item) for item in items], total, page_request)

    @post("/", guards=[WRITE], summary="Record a planned or completed treatment", responses=problems(404, 422))
    async def create_treatment(
        self, data: JSONBody[TreatmentIn], treatments: FromDishka[TreatmentService]
    ) -> TreatmentOut:
        fields = exact(sent(data))
        patient_id = fields.pop("patient_id")
        return TreatmentOut.of(await treatments.add(patient_id, TreatmentDetails(**fields)))  # type: ignore[arg-type]

    @get("/{treatment_id:uuid}", guards=[READ], summary="One treatment")
    async def get_treatment(
        self, treatment_id: FromPath[uuid.UUID], treatments: FromDishka[TreatmentService]
    ) -> TreatmentOut:
        return TreatmentOut.of(await treatments.get(treatment_id))

    @patch(
        "/{treatment_id:uuid}",
        guards=[WRITE],
        summary="Change some fields (planned → completed)",
        responses=problems(422),
    )
    async def patch_treatment(
        self,
        treatment_id: FromPath[uuid.UUID],
        data: JSONBody[TreatmentPatch],
        treatments: FromDishka[TreatmentService],
    ) -> TreatmentOut:
        return TreatmentOut.of(await treatments.update(treatment_id, exact(sent(data))))
