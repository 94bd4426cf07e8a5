"""studio_service configuration, read once from the environment."""

from __future__ import annotations

import msgspec

from qhitz_shared.amqp.settings import AmqpSettings, WorkSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.revocation.settings import SharedBrokers
from qhitz_shared.service import Env, ServiceSettings
from qhitz_shared.service_tokens import ServiceClientSettings
from qhitz_shared.settings import database_password_check, refuse_weak_secret
from studio_service.adapters.inbound.http.callbacks import RemoteSettings
from studio_service.adapters.inbound.http.jobs import JobStreamSettings

DEFAULT_PORT = 3005
LOCAL_TYPES = ("storyboard", "title_card", "narration")


class PeerSettings(msgspec.Struct, frozen=True):
    """STUDIO_*: where medias_service (media checks, output uploads) and main_service (revocations) answer."""

    medias_url: str = "http://127.0.0.1:3001"
    main_url: str = "http://127.0.0.1:3000"


class JobSettings(WorkSettings, frozen=True):
    """STUDIO_JOBS_*: the job types offered (noop, a no-op for benchmarks, only when listed) and their prices in
    credits (type:price); a job fails and its hold is released after deadline_seconds, checked every
    sweep_interval_seconds (0: off) and at each step; concurrency is jobs at once per process; a local tool is
    killed after tool_timeout_seconds; work files go under work_dir (default: the system's temp folder). The outbox
    relay runs in the worker, and in the HTTP process too with relay_in_http (always without a broker)."""

    types: list[str] = msgspec.field(default_factory=lambda: list(LOCAL_TYPES))
    prices: list[str] = msgspec.field(
        default_factory=lambda: ["storyboard:5", "title_card:10", "narration:3", "noop:1"]
    )
    deadline_seconds: float = 600.0
    sweep_interval_seconds: float = 5.0
    tool_timeout_seconds: float = 120.0
    relay_poll_seconds: float = 0.2

    def price_of(self) -> dict[str, int]:
        prices: dict[str, int] = {}
        for item in self.prices:
            name, _, value = item.partition(":")
            try:
                prices[name.strip()] = int(value)
            except ValueError:
                raise SystemExit(f"STUDIO_JOBS_PRICES: {item!r} is not type:credits") from None
        return prices

    def check(self) -> None:
        prices = self.price_of()
        unknown = [name for name in self.types if name not in (*LOCAL_TYPES, "noop")]
        if unknown:
            raise SystemExit(f"STUDIO_JOBS_TYPES: unknown job types {unknown}")
        unpriced = [name for name in self.types if name not in prices]
        if unpriced or any(price < 0 for price in prices.values()):
            raise SystemExit(f"STUDIO_JOBS_PRICES: every offered type needs a price >= 0 (missing: {unpriced})")
        if self.concurrency < 1 or self.deadline_seconds <= 0 or self.relay_batch < 1:
            raise SystemExit("STUDIO_JOBS_CONCURRENCY and _RELAY_BATCH are at least 1, _DEADLINE_SECONDS positive")


class StripeSettings(msgspec.Struct, frozen=True):
    """STRIPE_*: the secret API key (sk_test_... in development) and the webhook signing secret (whsec_...);
    plans (code:price_id:monthly_credits) and packs (code:price_id:credits) on sale; where Checkout returns; api_base
    only to point the SDK at another host (tests)."""

    secret_key: str = ""
    webhook_secret: str = ""
    webhook_tolerance_seconds: int = 300
    plans: list[str] = msgspec.field(default_factory=list)
    packs: list[str] = msgspec.field(default_factory=list)
    success_url: str = "http://localhost/studio/billing/success"
    cancel_url: str = "http://localhost/studio/billing/cancel"
    api_base: str = ""


class StudioSettings(ServiceSettings, frozen=True):
    """STUDIO_*, SERVICE_* (its service client), STRIPE_* and the shared concerns; STUDIO_AMQP_URL defaults to the
    platform's AMQP_URL."""

    db: DatabaseSettings
    service: ServiceClientSettings
    peers: PeerSettings
    jobs: JobSettings
    amqp: AmqpSettings
    brokers: SharedBrokers
    stream: JobStreamSettings
    stripe: StripeSettings
    remote: RemoteSettings

    env_prefix = "STUDIO_"
    default_port = DEFAULT_PORT
    concerns = {
        "peers": "STUDIO_",
        "amqp": Env("STUDIO_AMQP_", {"prefix": "studio"}),
        "stream": "STUDIO_EVENTS_",
        "stripe": "STRIPE_",
    }

    def checked(self) -> StudioSettings:
        app, amqp = self.app, self.amqp
        if not amqp.url:  # empty: the platform's broker
            amqp = msgspec.structs.replace(amqp, url=self.brokers.amqp_url)
        self.jobs.check()
        remote_types = [entry.partition(":")[0] for entry in self.remote.types]
        unpriced = [name for name in remote_types if name not in self.jobs.price_of()]
        if remote_types and (not self.remote.url or not self.remote.webhook_secret or unpriced):
            raise SystemExit("STUDIO_REMOTE_TYPES needs STUDIO_REMOTE_URL, _WEBHOOK_SECRET and a price for each type")
        database_password_check(app, "STUDIO_AMQP_URL", amqp.url)
        for name, secret in (
            ("STRIPE_SECRET_KEY", self.stripe.secret_key),
            ("STRIPE_WEBHOOK_SECRET", self.stripe.webhook_secret),
            ("STUDIO_REMOTE_WEBHOOK_SECRET", self.remote.webhook_secret),
        ):
            if secret:
                refuse_weak_secret(app, name, secret, min_length=16)
        return msgspec.structs.replace(self, amqp=amqp)
