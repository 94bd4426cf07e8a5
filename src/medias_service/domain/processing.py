"""Processing rules: the sizes a version gets, what is learnt about the original, and how failed jobs retry."""

from __future__ import annotations

from dataclasses import dataclass, field

from qhitz_shared.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class SizeSpec:
    """A rendition fitted inside a square of ``edge`` pixels (the longest side), never larger than its source."""

    name: str
    edge: int


SIZES = (SizeSpec("thumb", 160), SizeSpec("small", 480), SizeSpec("medium", 1024), SizeSpec("large", 2048))
SIZE_CONTENT_TYPE = "image/webp"

# HEIF images (HEVC-coded, or a generic HEIF): their own decoder; AVIF is HEIF with AV1, which libvips decodes.
HEIF_TYPES = frozenset({"image/heic", "image/heic-sequence", "image/heif", "image/heif-sequence"})
# Raster formats the image pipeline decodes; other image types (SVG, BMP, icons) are kept without sizes.
RASTER_TYPES = (
    frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/avif"}) | HEIF_TYPES
)
PDF = "application/pdf"


def planned_sizes(content_type: str) -> tuple[SizeSpec, ...]:
    """Images get their sizes, videos a poster frame in every size, PDFs their first page; the rest none."""
    if content_type in RASTER_TYPES or content_type.startswith("video/") or content_type == PDF:
        return SIZES
    return ()


def fit(width: int, height: int, edge: int) -> tuple[int, int]:
    """Dimensions of ``width`` x ``height`` scaled so the longest side is ``edge``, never upscaled."""
    longest = max(width, height)
    if longest <= edge:
        return width, height
    scale = edge / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What processing learnt about a version's original (None where it does not apply)."""

    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    bitrate: int | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    page_count: int | None = None


@dataclass(frozen=True, slots=True)
class Rendition:
    name: str
    content_type: str
    width: int
    height: int
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Processed:
    info: MediaInfo
    renditions: list[Rendition]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``max_attempts`` runs of a job; after attempt n, the next one waits base x 2^(n-1), capped."""

    max_attempts: int = 5
    base_delay_seconds: float = 10.0
    max_delay_seconds: float = 600.0

    def exhausted(self, attempt: int) -> bool:
        return attempt >= self.max_attempts

    def delay(self, attempt: int) -> float:
        return min(self.base_delay_seconds * 2 ** max(attempt - 1, 0), self.max_delay_seconds)

    def outage_delay(self, outages: int) -> float:
        """The wait after the ``outages``-th run in a row that an infrastructure outage stopped: the same growing
        waits as between attempts, repeating the longest one of the schedule while the outage lasts."""
        return self.delay(min(max(outages, 1), max(self.max_attempts - 1, 1)))

    def delays(self) -> list[float]:
        """Every distinct wait between attempts (or after an outage), shortest first."""
        return sorted({self.delay(attempt) for attempt in range(1, max(self.max_attempts, 2))})


def failure_reason(attempts: int, error: str) -> str:
    times = "attempt" if attempts == 1 else "attempts"
    return f"Processing failed after {attempts} {times}: {error}"[:2000]


class UnprocessableMedia(InvalidInputError):
    """The content itself cannot be processed (corrupt, unsupported, or over the pixel limit): retrying is useless."""

    code = "unprocessable_media"
    title = "The media cannot be processed"
