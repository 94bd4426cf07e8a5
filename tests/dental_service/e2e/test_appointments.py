"""Appointments over real HTTP on PostgreSQL and SQLite: working hours, no double booking for a dentist or a
patient, the status machine, rescheduling, filters, availability, the iCalendar feed and "my schedule"."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar

from tests.dental_service.conftest import new_dentist, new_patient
from tests.dental_service.support import ZONE, at, next_monday


def book(http, patient, dentist, start, minutes=30, **extra):
    body = {"patient_id": patient["id"], "dentist_id": dentist["id"], "start_at": start, **extra}
    if minutes is not None:
        body["duration_minutes"] = minutes
    return http.post("/api/v1/dental/appointments", json=body)


def test_bookings_follow_the_dentists_working_hours_in_the_practice_time_zone(admin):
    patient, dentist = new_patient(admin), new_dentist(admin)
    monday = next_monday()
    first = book(admin, patient, dentist, at(monday, 9))
    assert first.status_code == 201, first.text
    stored = first.json()
    assert datetime.fromisoformat(stored["start_at"]) == datetime.fromisoformat(at(monday, 9))
    assert stored["start_at"].endswith(("Z", "+00:00"))  # stored and answered in UTC
    assert stored["status"] == "booked" and stored["end_at"] > stored["start_at"]
    for start, minutes in ((at(monday, 8, 45), 30), (at(monday, 16, 45), 30), (at(monday + timedelta(days=5), 10), 30)):
        refused = book(admin, patient, dentist, start, minutes)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "outside_working_hours"
    typed = book(admin, patient, dentist, at(monday, 11), None, type="filling")
    assert typed.status_code == 201 and typed.json()["duration_minutes"] == 60  # the type's default duration
    assert book(admin, patient, dentist, at(monday, 13), 3).status_code == 400  # 5..480 minutes
    naive = book(admin, patient, dentist, at(monday, 14)[:19], 30)
    assert naive.status_code == 422 and naive.json()["code"] == "naive_datetime"


def test_no_double_booking_of_a_dentist_or_a_patient(admin):
    patient, other_patient = new_patient(admin), new_patient(admin)
    dentist, other_dentist = new_dentist(admin), new_dentist(admin)
    tuesday = next_monday() + timedelta(days=1)
    taken = book(admin, patient, dentist, at(tuesday, 10), 60).json()
    clash = book(admin, other_patient, dentist, at(tuesday, 10, 30), 30)
    assert clash.status_code == 409
    assert clash.json()["code"] == "appointment_conflict"
    assert clash.json()["conflicting_appointment_id"] == taken["id"] and clash.json()["conflict_with"] == "dentist"
    same_patient = book(admin, patient, other_dentist, at(tuesday, 10, 45), 30)
    assert same_patient.status_code == 409 and same_patient.json()["conflict_with"] == "patient"
    assert book(admin, other_patient, dentist, at(tuesday, 11), 30).status_code == 201  # back to back
    cancelled = admin.post(
        f"/api/v1/dental/appointments/{taken['id']}/status", json={"status": "cancelled", "cancel_reason": "Flu"}
    )
    assert cancelled.status_code == 200
    assert book(admin, other_patient, dentist, at(tuesday, 10), 60).status_code == 201  # the slot is free again


def test_the_status_machine(admin):
    patient, dentist = new_patient(admin), new_dentist(admin)
    wednesday = next_monday() + timedelta(days=2)
    appointment = book(admin, patient, dentist, at(wednesday, 9)).json()
    url = f"/api/v1/dental/appointments/{appointment['id']}/status"
    refused = admin.post(url, json={"status": "completed"})
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    for status in ("arrived", "in_progress", "completed"):
        moved = admin.post(url, json={"status": status})
        assert moved.status_code == 200 and moved.json()["status"] == status
    assert admin.post(url, json={"status": "cancelled", "cancel_reason": "late"}).json()["code"] == "invalid_transition"
    second = book(admin, patient, dentist, at(wednesday, 10)).json()
    no_reason = admin.post(f"/api/v1/dental/appointments/{second['id']}/status", json={"status": "cancelled"})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "cancel_reason"
    arrived = admin.post(f"/api/v1/dental/appointments/{second['id']}/status", json={"status": "arrived"})
    assert arrived.status_code == 200
    gone = admin.post(f"/api/v1/dental/appointments/{second['id']}/status", json={"status": "no_show"})
    assert gone.json()["status"] == "no_show"


def test_reschedule_by_patch_keeps_every_rule(admin):
    patient, dentist = new_patient(admin), new_dentist(admin)
    thursday = next_monday() + timedelta(days=3)
    blocker = book(admin, new_patient(admin), dentist, at(thursday, 14)).json()
    appointment = book(admin, patient, dentist, at(thursday, 9)).json()
    url = f"/api/v1/dental/appointments/{appointment['id']}"
    moved = admin.patch(url, json={"start_at": at(thursday, 9, 15), "duration_minutes": 45, "reason": "Crown"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["duration_minutes"] == 45 and moved.json()["reason"] == "Crown"
    assert admin.patch(url, json={"duration_minutes": 50}).status_code == 200  # overlaps only itself
    clash = admin.patch(url, json={"start_at": at(thursday, 13, 45)})
    assert clash.status_code == 409 and clash.json()["conflicting_appointment_id"] == blocker["id"]
    late = admin.patch(url, json={"start_at": at(thursday, 16, 50)})
    assert late.status_code == 422 and late.json()["code"] == "outside_working_hours"
    admin.post(f"{url}/status", json={"status": "arrived"})
    not_booked = admin.patch(url, json={"start_at": at(thursday, 11)})
    assert not_booked.status_code == 409 and not_booked.json()["code"] == "invalid_transition"


def test_filters_availability_calendar_and_my_schedule(dental, admin):
    patient = new_patient(admin)
    dentist = linked_dentist(dental, admin)
    friday = next_monday() + timedelta(days=4)
    first = book(admin, patient, dentist, at(friday, 9), 60).json()
    second = book(admin, new_patient(admin), dentist, at(friday, 10, 30), 30).json()
    listed = admin.get(
        "/api/v1/dental/appointments",
        params={"dentist_id": dentist["id"], "date_from": at(friday, 0), "date_to": at(friday + timedelta(days=1), 0)},
    ).json()
    assert [item["id"] for item in listed["items"]] == [first["id"], second["id"]]
    only_patient = admin.get("/api/v1/dental/appointments", params={"patient_id": patient["id"]}).json()
    assert [item["id"] for item in only_patient["items"]] == [first["id"]]
    by_status = admin.get(
        "/api/v1/dental/appointments", params={"dentist_id": dentist["id"], "status": "cancelled"}
    ).json()
    assert by_status["total"] == 0

    free = admin.get(
        f"/api/v1/dental/dentists/{dentist['id']}/availability", params={"date": friday.isoformat(), "duration": 60}
    ).json()
    starts = [datetime.fromisoformat(slot["start_at"]).astimezone(ZONE).strftime("%H:%M") for slot in free["slots"]]
    assert free["time_zone"] == "Europe/Paris"
    assert starts[:3] == ["11:00", "11:15", "11:30"] and starts[-1] == "16:00"
    assert "10:00" not in starts and "09:45" not in starts

    ics = admin.get(f"/api/v1/dental/dentists/{dentist['id']}/calendar.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.content)
    events = calendar.walk("VEVENT")
    assert {str(event["uid"]).split("@")[0] for event in events} >= {first["id"], second["id"]}
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    starts_at = {str(event["uid"]).split("@")[0]: event.decoded("dtstart") for event in events}
    assert starts_at[first["id"]] == datetime.fromisoformat(at(friday, 9))
    assert str(starts_at[first["id"]].tzinfo) == "Europe/Paris"

    with dental.client("dentist") as me:
        mine = me.get("/api/v1/dental/schedule/me", params={"date": friday.isoformat()}).json()
        assert [item["id"] for item in mine["items"]] == [first["id"], second["id"]]
    with dental.client("receptionist") as desk:
        assert desk.get("/api/v1/dental/schedule/me").json()["code"] == "not_a_dentist"


def linked_dentist(dental, admin) -> dict:
    """The dentist record of the test's dentist account (one per database)."""
    user_id = str(dental.staff.user_ids["dentist"])
    existing = admin.get("/api/v1/dental/dentists", params={"per_page": 100}).json()["items"]
    for item in existing:
        if item["user_id"] == user_id:
            return item
    return new_dentist(admin, user_id=user_id)
