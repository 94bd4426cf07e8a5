"""/api/v1/dental/appointments: booking, rescheduling (PATCH), the status machine, filters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from dental_service.adapters.inbound.http.dto_appointments import (
    AppointmentIn,
    AppointmentOut,
    AppointmentPatch,
    StatusChange,
)
from dental_service.adapters.inbound.http.dto_patients import sent
from dental_service.domain.appointments import AppointmentFilter, AppointmentStatus
from dental_service.services.appointments import AppointmentService, Booking
from qhitz_shared.http.inputs import aware_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import require_permission

READ = require_permission("dental:appointments:read")
WRITE = require_permission("dental:appointments:write")


class AppointmentsController(Controller):
    path = "/api/v1/dental/appointments"
    tags = ["dental: appointments"]

    @get("/", guards=[READ], summary="Appointments starting in [date_from, date_to), oldest first")
    async def list_appointments(
        self,
        appointments: FromDishka[AppointmentService],
        page_request: Paging,
        date_from: Annotated[datetime | None, aware_param()] = None,
        date_to: Annotated[datetime | None, aware_param()] = None,
        patient_id: FromQuery[uuid.UUID | None] = None,
        dentist_id: FromQuery[uuid.UUID | None] = None,
        status: FromQuery[AppointmentStatus | None] = None,
    ) -> Page[AppointmentOut]:
        filters = AppointmentFilter(date_from, date_to, patient_id, dentist_id, status)
        items, total = await appointments.list(filters, page_request)
        return page_of([AppointmentOut.of(item) for item in items], total, page_request)

    @post("/", guards=[WRITE], summary="Book an appointment", responses=problems(404, 409, 422))
    async def book(self, data: JSONBody[AppointmentIn], appointments: FromDishka[AppointmentService]) -> AppointmentOut:
        booking = Booking(
            data.patient_id, data.dentist_id, data.start_at, data.duration_minutes, data.type, data.reason, data.notes
        )
        return AppointmentOut.of(await appointments.book(booking))

    @get("/{appointment_id:uuid}", guards=[READ], summary="One appointment")
    async def get_appointment(
        self, appointment_id: FromPath[uuid.UUID], appointments: FromDishka[AppointmentService]
    ) -> AppointmentOut:
        return AppointmentOut.of(await appointments.get(appointment_id))

    @patch(
        "/{appointment_id:uuid}",
        guards=[WRITE],
        summary="Reschedule (start_at, duration_minutes) or edit",
        responses=problems(409, 422),
    )
    async def patch_appointment(
        self,
        appointment_id: FromPath[uuid.UUID],
        data: JSONBody[AppointmentPatch],
        appointments: FromDishka[AppointmentService],
    ) -> AppointmentOut:
        changes = sent(data)
        start_at, minutes = changes.pop("start_at", None), changes.pop("duration_minutes", None)
        appointment = await appointments.update(
            appointment_id,
            start_at=start_at,  # type: ignore[arg-type]
            duration_minutes=minutes,  # type: ignore[arg-type]
            details=changes,  # type: ignore[arg-type]
        )
        return AppointmentOut.of(appointment)

    @post(
        "/{appointment_id:uuid}/status",
        guards=[WRITE],
        status_code=200,
        summary="Move through booked → arrived → in_progress → completed, or cancel / no_show",
        responses=problems(409, 422),
    )
    async def change_status(
        self,
        appointment_id: FromPath[uuid.UUID],
        data: JSONBody[StatusChange],
        appointments: FromDishka[AppointmentService],
    ) -> AppointmentOut:
        return AppointmentOut.of(await appointments.move(appointment_id, data.status, data.cancel_reason))
