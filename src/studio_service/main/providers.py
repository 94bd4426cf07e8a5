"""dishka providers: APP-scoped clients, generators, dispatch; REQUEST-scoped repositories and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import imageio_ffmpeg
from dishka import AsyncContainer, Provider, Scope, alias, provide
from sqlalchemy.ext.asyncio import AsyncEngine

from qhitz_shared.amqp.publisher import work_publisher
from qhitz_shared.amqp.settings import AmqpSettings
from qhitz_shared.amqp.topology import Topology
from qhitz_shared.outbox.events import EventPublisher, OutboxStore
from qhitz_shared.outbox.relay import OutboxRelay
from qhitz_shared.ports import ServiceTokenSource, UnitOfWork
from qhitz_shared.providers import request_scoped
from qhitz_shared.revocation.transports import ServiceTokens
from qhitz_shared.service import Probes
from qhitz_shared.service_tokens import ServiceClientSettings, ServiceTokenClient
from studio_service.adapters.inbound.http.callbacks import RemoteSettings
from studio_service.adapters.inbound.inprocess import InProcessJobs
from studio_service.adapters.outbound.generators.local import (
    NarrationGenerator,
    NoopGenerator,
    StoryboardGenerator,
    TitleCardGenerator,
)
from studio_service.adapters.outbound.generators.remote import RemoteGenerator
from studio_service.adapters.outbound.medias.client import HttpMediaAccess, HttpMediaUploader
from studio_service.adapters.outbound.persistence.billing import SqlaBillingStore, SqlaStudioOutbox
from studio_service.adapters.outbound.persistence.jobs import OutboxJobQueue, SqlaJobRepository
from studio_service.adapters.outbound.persistence.ledger import SqlaCreditLedger
from studio_service.adapters.outbound.persistence.projects import SqlaAssetRepository, SqlaProjectRepository
from studio_service.adapters.outbound.persistence.remote import SqlaRemoteResults
from studio_service.adapters.outbound.persistence.views import SqlaJobViews
from studio_service.adapters.outbound.stripe.gateway import StripeCheckout, StripeWebhookVerifier
from studio_service.domain.billing import Offer, OfferKind
from studio_service.domain.jobs import WORK_EVENTS, JobType, JobTypes
from studio_service.domain.projects import AssetKind
from studio_service.main.settings import JobSettings, PeerSettings, StripeSettings
from studio_service.ports.generators import RemoteResults
from studio_service.ports.medias import MediaAccess, MediaUploader
from studio_service.ports.payments import PaymentGateway, WebhookVerifier
from studio_service.ports.repositories import (
    AssetRepository,
    BillingStore,
    CreditLedger,
    JobQueue,
    JobRepository,
    ProjectRepository,
)
from studio_service.services.billing import BillingService, Offers
from studio_service.services.credits import CreditService
from studio_service.services.jobs import JobService
from studio_service.services.projects import ProjectService
from studio_service.services.runner import DeadlineService, Generators, JobRunner


def topology_of(amqp: AmqpSettings) -> Topology:
    return Topology(amqp.prefix, work="jobs")


def offers_of(settings: StripeSettings) -> Offers:
    """STRIPE_PLANS / STRIPE_PACKS entries, code:price_id:credits each."""
    offers = Offers()
    for kind, entries in ((OfferKind.PLAN, settings.plans), (OfferKind.PACK, settings.packs)):
        for entry in entries:
            code, price_id, credits = (part.strip() for part in [*entry.split(":"), "", ""][:3])
            if not code or not price_id or not credits.isdigit():
                raise SystemExit(f"STRIPE_{kind.upper()}S: {entry!r} is not code:price_id:credits")
            offers[code] = Offer(code, kind, price_id, int(credits))
    return offers


def generators_of(
    settings: JobSettings, remote: RemoteSettings, http: httpx.AsyncClient, results: RemoteResults
) -> Generators:
    """The local generator of each offered type (narration only where espeak-ng is installed), and the remote
    provider's types (STUDIO_REMOTE_TYPES)."""
    timeout = settings.tool_timeout_seconds
    made = Generators()
    for name in settings.types:
        if name == "storyboard":
            made[name] = StoryboardGenerator()
        elif name == "title_card":
            made[name] = TitleCardGenerator(imageio_ffmpeg.get_ffmpeg_exe(), timeout)
        elif name == "narration" and (espeak := NarrationGenerator.find()):
            made[name] = NarrationGenerator(espeak, timeout)
        elif name == "noop":
            made[name] = NoopGenerator()
    for entry in remote.types:
        name, _, kind = entry.partition(":")
        made[name] = RemoteGenerator(
            name,
            AssetKind(kind or "other"),
            url=remote.url,
            api_key=remote.api_key,
            callback_url=remote.callback_url,
            http=http,
            results=results,
            poll_seconds=remote.poll_seconds,
        )
    return made


class StudioProvider(Provider):
    @provide(scope=Scope.APP)
    def service_tokens(self, settings: ServiceClientSettings, client: httpx.AsyncClient) -> ServiceTokenSource:
        return ServiceTokenClient(settings, client)

    revocation_tokens = alias(source=ServiceTokenSource, provides=ServiceTokens)

    @provide(scope=Scope.APP)
    def media_access(self, settings: PeerSettings, client: httpx.AsyncClient) -> MediaAccess:
        return HttpMediaAccess(settings.medias_url, client)

    @provide(scope=Scope.APP)
    def uploader(self, settings: PeerSettings, client: httpx.AsyncClient, tokens: ServiceTokenSource) -> MediaUploader:
        return HttpMediaUploader(settings.medias_url, client, tokens)

    @provide(scope=Scope.APP)
    def remote_results(self, engine: AsyncEngine) -> RemoteResults:
        return SqlaRemoteResults(engine)

    @provide(scope=Scope.APP)
    def generators(
        self, settings: JobSettings, remote: RemoteSettings, client: httpx.AsyncClient, results: RemoteResults
    ) -> Generators:
        return generators_of(settings, remote, client, results)

    @provide(scope=Scope.APP)
    def job_types(self, settings: JobSettings, generators: Generators) -> JobTypes:
        prices = settings.price_of()
        return JobTypes(
            {
                name: JobType(name, prices[name], generator.rule, settings.deadline_seconds)
                for name, generator in generators.items()
            }
        )

    @provide(scope=Scope.APP)
    def offers(self, settings: StripeSettings) -> Offers:
        return offers_of(settings)

    @provide(scope=Scope.APP)
    def payments(self, settings: StripeSettings) -> PaymentGateway:
        return StripeCheckout(
            settings.secret_key, settings.success_url, settings.cancel_url, api_base=settings.api_base
        )

    @provide(scope=Scope.APP)
    def webhooks(self, settings: StripeSettings) -> WebhookVerifier:
        return StripeWebhookVerifier(settings.webhook_secret, settings.webhook_tolerance_seconds)

    @provide(scope=Scope.APP)
    def probes(self) -> Probes:
        return Probes()

    @provide(scope=Scope.APP)
    def job_views(self, engine: AsyncEngine) -> SqlaJobViews:
        return SqlaJobViews(engine)

    @provide(scope=Scope.REQUEST)
    def runner(
        self,
        jobs: JobRepository,
        ledger: CreditLedger,
        assets: AssetRepository,
        uploader: MediaUploader,
        generators: Generators,
        uow: UnitOfWork,
        settings: JobSettings,
    ) -> JobRunner:
        return JobRunner(jobs, ledger, assets, uploader, generators, uow, settings.work_dir or None)


def studio_use_cases() -> Provider:
    """REQUEST scope: the repositories (each port to its adapter) and studio_service's use cases (JobRunner is
    built in StudioProvider, for its work folder)."""
    return request_scoped(
        ProjectService,
        CreditService,
        JobService,
        BillingService,
        DeadlineService,
        OutboxRelay,
        ports={
            ProjectRepository: SqlaProjectRepository,
            AssetRepository: SqlaAssetRepository,
            CreditLedger: SqlaCreditLedger,
            JobRepository: SqlaJobRepository,
            JobQueue: OutboxJobQueue,
            BillingStore: SqlaBillingStore,
            OutboxStore: SqlaStudioOutbox,
        },
    )


class DispatchProvider(Provider):
    """Where studio.job.queued goes: RabbitMQ when STUDIO_AMQP_URL (or AMQP_URL) is set; else jobs run here."""

    @provide(scope=Scope.APP)
    async def publisher(
        self, amqp: AmqpSettings, settings: JobSettings, container: AsyncContainer
    ) -> AsyncIterator[EventPublisher]:
        in_process = lambda: InProcessJobs(container, settings.concurrency)  # noqa: E731
        async with work_publisher(amqp, topology_of(amqp), WORK_EVENTS, "studio_service", in_process) as publisher:
            yield publisher
