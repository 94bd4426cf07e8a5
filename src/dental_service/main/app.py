"""Composition root: dental_service is its controllers and its providers."""

from __future__ import annotations

from dental_service.adapters.inbound.http.appointments import AppointmentsController
from dental_service.adapters.inbound.http.billing import BillingController
from dental_service.adapters.inbound.http.dentists import DentistsController, ScheduleController
from dental_service.adapters.inbound.http.patients import AccessLogController, PatientsController
from dental_service.adapters.inbound.http.stats import StatsController
from dental_service.adapters.inbound.http.treatments import TreatmentsController
from dental_service.main.providers import DentalProvider, dental_use_cases
from dental_service.main.settings import DentalSettings
from qhitz_shared.revocation.wiring import RevocationSubscriberProvider
from qhitz_shared.service import ServiceSpec

CONTROLLERS = [
    PatientsController,
    AccessLogController,
    DentistsController,
    ScheduleController,
    AppointmentsController,
    TreatmentsController,
    BillingController,
    StatsController,
]

SERVICE = ServiceSpec(
    DentalSettings,
    CONTROLLERS,
    lambda _: [DentalProvider(), dental_use_cases(), RevocationSubscriberProvider()],
    description="A dental practice: patients, dentists, appointments without double booking, treatments, billing.",
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
