"""A dentist's upcoming appointments as an RFC 5545 calendar, built with the icalendar library.

Times are written in the practice's time zone with its VTIMEZONE (``add_missing_timezones``), so a calendar
client shows them at the practice's wall-clock time whatever its own zone. Patients are not named: a calendar
feed leaves the practice's systems, so an event says only the appointment's type.
"""

from __future__ import annotations

from collections.abc import Sequence

from icalendar import Calendar, Event

from dental_service.domain.appointments import Appointment
from dental_service.domain.dentists import Dentist
from dental_service.domain.practice import Practice

ICALENDAR = "text/calendar; charset=utf-8"


def calendar_of(dentist: Dentist, appointments: Sequence[Appointment], practice: Practice) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Qhitz//dental_service//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{practice.name}: {dentist.details.first_name} {dentist.details.last_name}")
    calendar.add("x-wr-timezone", practice.zone.key)
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.id}@dental.qhitz")
        event.add("dtstamp", appointment.updated_at or practice.now())
        event.add("dtstart", appointment.start_at.astimezone(practice.zone))
        event.add("dtend", appointment.end_at.astimezone(practice.zone))
        event.add("summary", appointment.type or "Appointment")
        event.add("status", "CONFIRMED")
        event.add("x-qhitz-status", str(appointment.status))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
