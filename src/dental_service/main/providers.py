"""dishka providers: the practice and the service token (APP); repositories and use cases (REQUEST)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx
from dishka import Provider, Scope, provide

from dental_service.adapters.outbound.persistence.appointments import SqlaAppointmentRepository
from dental_service.adapters.outbound.persistence.dentists import SqlaDentistRepository
from dental_service.adapters.outbound.persistence.ledger import SqlaLedger
from dental_service.adapters.outbound.persistence.patients import SqlaAccessLog, SqlaPatientRepository
from dental_service.adapters.outbound.persistence.stats import SqlaStatsQueries
from dental_service.adapters.outbound.persistence.treatments import SqlaTreatmentRepository
from dental_service.domain.practice import Practice
from dental_service.main.settings import PracticeSettings
from dental_service.ports.repositories import (
    AccessLog,
    AppointmentRepository,
    DentistRepository,
    Ledger,
    PatientRepository,
    StatsQueries,
    TreatmentRepository,
)
from dental_service.services.appointments import AppointmentService
from dental_service.services.billing import BillingService
from dental_service.services.demo import DemoPractice
from dental_service.services.dentists import DentistService
from dental_service.services.patients import PatientService
from dental_service.services.stats import StatsService
from dental_service.services.treatments import TreatmentService
from qhitz_shared.providers import request_scoped
from qhitz_shared.revocation.transports import ServiceTokens
from qhitz_shared.service import Probes
from qhitz_shared.service_tokens import ServiceClientSettings, ServiceTokenClient


class DentalProvider(Provider):
    scope = Scope.APP

    @provide
    def practice(self, settings: PracticeSettings) -> Practice:
        return Practice(ZoneInfo(settings.time_zone), settings.slot_minutes, settings.name)

    @provide
    def service_tokens(self, settings: ServiceClientSettings, client: httpx.AsyncClient) -> ServiceTokens:
        return ServiceTokenClient(settings, client)

    @provide
    def probes(self) -> Probes:
        return Probes()  # the database's probe and the revocation state's are shared


def dental_use_cases() -> Provider:
    """REQUEST scope: the repositories and dental_service's use cases."""
    return request_scoped(
        PatientService,
        DentistService,
        AppointmentService,
        TreatmentService,
        BillingService,
        StatsService,
        DemoPractice,
        ports={
            PatientRepository: SqlaPatientRepository,
            AccessLog: SqlaAccessLog,
            DentistRepository: SqlaDentistRepository,
            AppointmentRepository: SqlaAppointmentRepository,
            TreatmentRepository: SqlaTreatmentRepository,
            Ledger: SqlaLedger,
            StatsQueries: SqlaStatsQueries,
        },
    )
