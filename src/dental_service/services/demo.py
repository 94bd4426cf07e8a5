"""A demo practice for a newcomer: two dentists, twenty patients and a week of appointments from today.

Made through the same use cases as the API (every rule applies); run again, it finds its dentists (by license
number) and adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dental_service.domain.dentists import AppointmentType, DentistDetails, Shift
from dental_service.domain.errors import LicenseNumberTaken
from dental_service.domain.patients import PatientDetails
from dental_service.domain.practice import CLINICAL_WRITE, Practice, Viewer
from dental_service.services.appointments import AppointmentService, Booking
from dental_service.services.dentists import DentistService
from dental_service.services.patients import PatientService
from qhitz_shared.errors import AppError

LICENSES = ("DEMO-0001", "DEMO-0002")
FIRST = ("Lea", "Hugo", "Chloe", "Louis", "Ines", "Jules", "Manon", "Adam", "Jade", "Nathan")
LAST = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau")
TYPES = [AppointmentType("Checkup", 30), AppointmentType("Cleaning", 45), AppointmentType("Filling", 60)]
WEEKDAYS_9_TO_17 = {day: Shift(time(9), time(17)) for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


@dataclass(frozen=True)
class DemoOutcome:
    created: bool
    dentists: int = 0
    patients: int = 0
    appointments: int = 0


class DemoPractice:
    def __init__(
        self,
        patients: PatientService,
        dentists: DentistService,
        appointments: AppointmentService,
        practice: Practice,
    ) -> None:
        self._patients = patients
        self._dentists = dentists
        self._appointments = appointments
        self._practice = practice

    async def create(self, seed: int = 13) -> DemoOutcome:
        rng = random.Random(seed)
        viewer = Viewer("demo-seed", frozenset({CLINICAL_WRITE}))
        try:
            dentists = [
                await self._dentists.add(
                    DentistDetails(
                        first_name=first,
                        last_name=last,
                        license_number=license,
                        specialization=speciality,
                        email=f"{first.lower()}.{last.lower()}@demo-dental.example",
                        working_hours=dict(WEEKDAYS_9_TO_17),
                        appointment_types=list(TYPES),
                    )
                )
                for (first, last, speciality), license in zip(
                    (("Alice", "Moreau", "General dentistry"), ("Karim", "Benali", "Endodontics")),
                    LICENSES,
                    strict=True,
                )
            ]
        except LicenseNumberTaken:
            return DemoOutcome(created=False)
        patients = []
        for index in range(20):
            details = PatientDetails(
                first_name=FIRST[index % len(FIRST)],
                last_name=LAST[(index * 3) % len(LAST)],
                date_of_birth=date(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                email=f"patient{index + 1:02d}@demo-dental.example",
                phone=f"+336{rng.randrange(10_000_000, 99_999_999)}",
                allergies="Penicillin" if index % 7 == 0 else None,
            )
            patients.append(await self._patients.register(viewer, details))
        booked = 0
        today = self._practice.today()
        for offset in range(7):
            day = today + timedelta(days=offset)
            for dentist in dentists:
                start = datetime.combine(day, time(9), self._practice.zone)
                while start.time() < time(16, 30):
                    kind = rng.choice(TYPES)
                    try:
                        booking = Booking(rng.choice(patients).id, dentist.id, start, kind.duration_minutes, kind.name)
                        await self._appointments.book(booking)
                        booked += 1
                    except AppError:
                        pass  # a day off, the patient busy elsewhere, or past the shift's end: the demo moves on
                    start += timedelta(minutes=kind.duration_minutes + rng.choice((0, 15, 30)))
        return DemoOutcome(True, len(dentists), len(patients), booked)
