"""Composition root: studio_service is its controllers, its providers and its background tasks."""

from __future__ import annotations

from dishka import AsyncContainer

from qhitz_shared.revocation.wiring import RevocationSubscriberProvider
from qhitz_shared.service import Background, ServiceSpec
from studio_service.adapters.inbound.http.callbacks import RemoteCallbackController
from studio_service.adapters.inbound.http.credits import CreditsController
from studio_service.adapters.inbound.http.jobs import JobsController
from studio_service.adapters.inbound.http.projects import ProjectsController
from studio_service.adapters.inbound.http.subscriptions import SubscriptionsController
from studio_service.domain.errors import (
    BillingNotConfigured,
    InsufficientCredits,
    InvalidSignature,
)
from studio_service.main.background import http_background
from studio_service.main.providers import DispatchProvider, StudioProvider, studio_use_cases
from studio_service.main.settings import StudioSettings

CONTROLLERS = [ProjectsController, CreditsController, SubscriptionsController, JobsController, RemoteCallbackController]
ERROR_STATUSES = {
    InsufficientCredits: 402,
    InvalidSignature: 400,
    BillingNotConfigured: 503,
}


def background(container: AsyncContainer, settings: StudioSettings) -> list[Background]:
    return http_background(container, settings.jobs, settings.amqp)


SERVICE = ServiceSpec(
    StudioSettings,
    CONTROLLERS,
    lambda _: [StudioProvider(), studio_use_cases(), DispatchProvider(), RevocationSubscriberProvider()],
    description="Film projects, a credit ledger with Stripe billing, and a queue of generation jobs.",
    error_statuses=ERROR_STATUSES,
    background=background,
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
