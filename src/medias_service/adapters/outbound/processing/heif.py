"""HEIF images (HEIC photos from phones: HEVC-coded) decoded by pillow-heif's libheif with libde265, because the
libvips of pyvips-binary has no HEVC decoder; the decoded pixels then go through libvips like any other image.

Blocking function: callers run it in a thread.
"""

from __future__ import annotations

from collections.abc import Sequence

import pillow_heif
import pyvips

from medias_service.adapters.outbound.processing.images import check_pixels, render_image
from medias_service.domain.processing import MediaInfo, Rendition, SizeSpec, UnprocessableMedia

# What libheif raises on a damaged or unsupported file.
_DECODE_ERRORS = (ValueError, RuntimeError, OSError, EOFError)


def render_heif(
    path: str, sizes: Sequence[SizeSpec], *, pixel_limit: int, quality: int
) -> tuple[MediaInfo, list[Rendition]]:
    """The primary image's size (rotation and mirroring applied, as displayed) and each of ``sizes``; the pixel
    limit is checked on the header, before anything is decoded. Raises UnprocessableMedia."""
    try:
        heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)  # reads the header only
    except _DECODE_ERRORS as exc:
        raise UnprocessableMedia(f"The image cannot be read: {_first_line(exc)}") from exc
    width, height = heif.size
    check_pixels(width, height, pixel_limit)
    try:
        decoded = heif.to_pillow()  # HDR (10/12-bit) brought to 8 bits, rows packed without libheif's padding
    except _DECODE_ERRORS as exc:
        raise UnprocessableMedia(f"The image cannot be decoded: {_first_line(exc)}") from exc
    bands = len(decoded.getbands())
    image = pyvips.Image.new_from_memory(decoded.tobytes(), width, height, bands, "uchar")
    image = image.copy(interpretation="srgb" if bands >= 3 else "b-w")
    return MediaInfo(width=width, height=height), render_image(image, sizes, quality=quality)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else "unknown error"
