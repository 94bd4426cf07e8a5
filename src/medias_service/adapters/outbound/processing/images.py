"""Images with libvips: shrink-on-load thumbnails, EXIF orientation applied, metadata stripped, WebP out.

Blocking functions: callers run them in a thread (libvips releases the GIL while it works).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Sequence

import pyvips

from medias_service.domain.processing import SIZE_CONTENT_TYPE, MediaInfo, Rendition, SizeSpec, UnprocessableMedia

_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


def configure_vips(threads: int = 1) -> None:
    """Once per process: no operation cache (every job reads new files, so caching only holds memory), no loaders
    libvips marks as unsafe for untrusted input, and ``threads`` worker threads per image (jobs run side by side
    instead: one thread each keeps a job's memory low)."""
    pyvips.cache_set_max(0)
    pyvips.block_untrusted_set(True)
    pyvips.concurrency_set(max(threads, 1))
    logging.getLogger("pyvips").setLevel(logging.WARNING)  # libvips' info messages are a line per operation


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None  # glibc only


def limit_malloc_arenas(arenas: int = 1) -> None:
    """glibc gives each thread its own heap arena (up to 8 per core) and keeps what they freed: with libvips and
    the job threads that turns every decode into retained memory. One shared arena keeps a worker's peak near
    one job's working set. Call before threads start (MALLOC_ARENA_MAX in the environment does the same)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(-8, arenas)  # M_ARENA_MAX


def release_memory() -> None:
    """After a job: hand the freed decode buffers back to the system instead of keeping them in the heap."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def check_pixels(width: int, height: int, limit: int) -> None:
    if width * height > limit:
        raise UnprocessableMedia(
            f"The image has {width * height:,} pixels ({width}x{height}), more than the limit of {limit:,}",
            width=width,
            height=height,
        )


def displayed_size(image: pyvips.Image) -> tuple[int, int]:
    """Width and height as shown, after the EXIF orientation."""
    orientation = image.get("orientation") if image.get_typeof("orientation") else 1
    return (image.height, image.width) if orientation in _ROTATED else (image.width, image.height)


def _webp(image: pyvips.Image, name: str, quality: int) -> Rendition:
    data = image.webpsave_buffer(Q=quality, keep="none")
    return Rendition(name, SIZE_CONTENT_TYPE, image.width, image.height, data)


def render_file(
    path: str, sizes: Sequence[SizeSpec], *, pixel_limit: int, quality: int
) -> tuple[MediaInfo, list[Rendition]]:
    """The image's displayed size, and each of ``sizes`` rendered straight from the file (libvips picks the
    cheapest decode for each: JPEG and WebP decode at a fraction of their size)."""
    try:
        header = pyvips.Image.new_from_file(path)  # reads the header only
    except pyvips.Error as exc:
        raise UnprocessableMedia(f"The image cannot be read: {_first_line(exc)}") from exc
    width, height = displayed_size(header)
    check_pixels(header.width, header.height, pixel_limit)
    options = {"size": "down", "fail_on": "error"}
    if header.get_typeof("icc-profile-data"):
        options["output_profile"] = "srgb"  # the profile is stripped with the rest: convert the colours first
    renditions: list[Rendition] = []
    made: dict[int, Rendition] = {}
    for spec in sorted(sizes, key=lambda spec: spec.edge):
        edge = min(spec.edge, max(width, height))  # sizes past the original are the original's size: render once
        if edge not in made:
            try:
                made[edge] = _webp(pyvips.Image.thumbnail(path, edge, **options), spec.name, quality)
            except pyvips.Error as exc:
                raise UnprocessableMedia(f"The image cannot be decoded: {_first_line(exc)}") from exc
        renditions.append(_renamed(made[edge], spec.name))
    return MediaInfo(width=width, height=height), renditions


def render_image(image: pyvips.Image, sizes: Sequence[SizeSpec], *, quality: int) -> list[Rendition]:
    """Sizes of an image already in memory (a PDF page, a video frame)."""
    renditions: list[Rendition] = []
    made: dict[int, Rendition] = {}
    for spec in sorted(sizes, key=lambda spec: spec.edge):
        edge = min(spec.edge, max(image.width, image.height))
        if edge not in made:
            made[edge] = _webp(image.thumbnail_image(edge, size="down"), spec.name, quality)
        renditions.append(_renamed(made[edge], spec.name))
    return renditions


def _renamed(rendition: Rendition, name: str) -> Rendition:
    if rendition.name == name:
        return rendition
    return Rendition(name, rendition.content_type, rendition.width, rendition.height, rendition.data)


def _first_line(exc: pyvips.Error) -> str:
    detail = (getattr(exc, "detail", "") or str(exc)).strip().splitlines()
    return detail[0][:300] if detail else "unknown error"
