"""/api/v1/dental/dentists: records, availability, the iCalendar feed; /api/v1/dental/schedule/me."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, Response, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from dental_service.adapters.inbound.http.dto_appointments import AppointmentOut, Availability, SlotOut
from dental_service.adapters.inbound.http.dto_dentists import DentistIn, DentistOut
from dental_service.adapters.inbound.http.ical import ICALENDAR, calendar_of
from dental_service.domain.appointments import AppointmentFilter
from dental_service.domain.practice import Practice
from dental_service.services.appointments import AppointmentService
from dental_service.services.dentists import DentistService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission

READ = require_permission("dental:appointments:read")
WRITE = require_permission("dental:appointments:write")


class DentistsController(Controller):
    path = "/api/v1/dental/dentists"
    tags = ["dental: dentists"]

    @get("/", guards=[READ], summary="List dentists")
    async def list_dentists(
        self, dentists: FromDishka[DentistService], page_request: Paging, active_only: FromQuery[bool] = False
    ) -> Page[DentistOut]:
        items, total = await dentists.list(active_only, page_request)
        return page_of([DentistOut.of(dentist) for dentist in items], total, page_request)

    @post("/", guards=[WRITE], summary="Add a dentist", responses=problems(409, 422))
    async def create_dentist(self, data: JSONBody[DentistIn], dentists: FromDishka[DentistService]) -> DentistOut:
        return DentistOut.of(await dentists.add(data.details(), data.active))

    @get("/{dentist_id:uuid}", guards=[READ], summary="One dentist")
    async def get_dentist(self, dentist_id: FromPath[uuid.UUID], dentists: FromDishka[DentistService]) -> DentistOut:
        return DentistOut.of(await dentists.get(dentist_id))

    @put("/{dentist_id:uuid}", guards=[WRITE], summary="Replace a dentist's fields", responses=problems(409, 422))
    async def put_dentist(
        self, dentist_id: FromPath[uuid.UUID], data: JSONBody[DentistIn], dentists: FromDishka[DentistService]
    ) -> DentistOut:
        details = data.details()
        changes = {item.name: getattr(details, item.name) for item in fields(details)}
        return DentistOut.of(await dentists.update(dentist_id, changes, active=data.active))

    @get("/{dentist_id:uuid}/availability", guards=[READ], summary="The free slots of a day")
    async def availability(
        self,
        dentist_id: FromPath[uuid.UUID],
        appointments: FromDishka[AppointmentService],
        practice: FromDishka[Practice],
        day: Annotated[date, QueryParameter(name="date", description="a day of the practice's time zone")],
        duration: Annotated[int, QueryParameter(ge=5, le=480, description="minutes")] = 30,
    ) -> Availability:
        slots = await appointments.availability(dentist_id, day, duration)
        return Availability(dentist_id, day, duration, practice.zone.key, [SlotOut.of(slot) for slot in slots])

    @get(
        "/{dentist_id:uuid}/calendar.ics",
        guards=[READ],
        summary="Upcoming appointments as iCalendar (RFC 5545)",
        media_type=ICALENDAR,
    )
    async def calendar(
        self,
        dentist_id: FromPath[uuid.UUID],
        appointments: FromDishka[AppointmentService],
        practice: FromDishka[Practice],
    ) -> Response[bytes]:
        dentist, upcoming = await appointments.calendar(dentist_id)
        body = calendar_of(dentist, upcoming, practice)
        return Response(body, media_type=ICALENDAR)


class ScheduleController(Controller):
    path = "/api/v1/dental/schedule"
    tags = ["dental: dentists"]

    @get(
        "/me",
        guards=[READ],
        summary="The caller's own appointments, as the dentist linked to their account",
        responses=problems(404),
    )
    async def my_schedule(
        self,
        principal: Caller,
        dentists: FromDishka[DentistService],
        appointments: FromDishka[AppointmentService],
        practice: FromDishka[Practice],
        page_request: Paging,
        day: Annotated[
            date | None, QueryParameter(name="date", description="default: today (practice time zone)")
        ] = None,
        days: Annotated[int, QueryParameter(ge=1, le=31, description="how many days from date")] = 1,
    ) -> Page[AppointmentOut]:
        dentist = await dentists.of_user(principal.user_id)
        start = datetime.combine(day or practice.today(), time.min, practice.zone)
        filters = AppointmentFilter(
            date_from=start.astimezone(UTC),
            date_to=(start + timedelta(days=days)).astimezone(UTC),
            dentist_id=dentist.id,
        )
        items, total = await appointments.list(filters, page_request)
        return page_of([AppointmentOut.of(item) for item in items], total, page_request)
