"""Settings of asynchronous processing: the broker (AMQP_*) and the pipeline itself (MEDIAS_PROCESSING_*)."""

from __future__ import annotations

from medias_service.domain.processing import RetryPolicy
from qhitz_shared.amqp.settings import AmqpSettings, WorkSettings

__all__ = ["AmqpSettings", "ProcessingSettings"]


class ProcessingSettings(WorkSettings, frozen=True):
    """MEDIAS_PROCESSING_*: sizes and metadata for each new version. enabled=false keeps versions pending (no
    outbox); concurrency is jobs at once per process; a job runs at most max_attempts times, waiting
    retry_base_seconds x 2^(n-1) (capped) between them; pixel_limit refuses decompression bombs; vips_threads is
    libvips' threads per image (more: faster jobs, more memory each); the outbox relay
    runs in the worker, and in the HTTP process too with relay_in_http (always without a broker); a job folder
    (under work_dir, else the system's temp folder) whose process died is removed once untouched for
    stale_job_seconds."""

    enabled: bool = True
    max_attempts: int = 5
    retry_base_seconds: float = 10.0
    retry_max_seconds: float = 600.0
    pixel_limit: int = 100_000_000
    webp_quality: int = 80
    vips_threads: int = 1
    stale_job_seconds: float = 60.0

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.max_attempts, self.retry_base_seconds, self.retry_max_seconds)

    def check(self) -> None:
        if self.concurrency < 1 or self.max_attempts < 1 or self.relay_batch < 1:
            raise SystemExit("MEDIAS_PROCESSING_CONCURRENCY, _MAX_ATTEMPTS and _RELAY_BATCH are at least 1")
        if self.retry_base_seconds <= 0 or self.pixel_limit < 1:
            raise SystemExit("MEDIAS_PROCESSING_RETRY_BASE_SECONDS and _PIXEL_LIMIT are positive")
