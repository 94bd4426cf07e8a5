"""ISO base media files (MP4, QuickTime, M4A, HEIF, AVIF) share one container: the ``ftyp`` box's brands say
which of them a file is (ISO/IEC 14496-12 §4.3), so the type comes from the brands, not from the container."""

from __future__ import annotations

import struct

# Brand → registered type. Image brands come first in _PRIORITY: a HEIF file also lists generic ISO brands.
_BRANDS = {
    b"avif": "image/avif",
    b"avis": "image/avif",  # AVIF image sequence
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"hevc": "image/heic-sequence",
    b"hevx": "image/heic-sequence",
    b"mif1": "image/heif",
    b"msf1": "image/heif-sequence",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
    b"M4P ": "audio/mp4",
    b"F4A ": "audio/mp4",
    b"qt  ": "video/quicktime",
    b"3gp4": "video/3gpp",
    b"3gp5": "video/3gpp",
    b"3gp6": "video/3gpp",
    b"3g2a": "video/3gpp2",
    b"M4V ": "video/mp4",
    b"M4VH": "video/mp4",
    b"M4VP": "video/mp4",
    b"f4v ": "video/mp4",
    b"mp41": "video/mp4",
    b"mp42": "video/mp4",
    b"avc1": "video/mp4",
    b"dash": "video/mp4",
    b"mmp4": "video/mp4",
    b"isom": "video/mp4",
    b"iso2": "video/mp4",
    b"iso4": "video/mp4",
    b"iso5": "video/mp4",
    b"iso6": "video/mp4",
}
# Brands every member of a family lists: they name the container, not what it holds.
_GENERIC = frozenset({b"mif1", b"msf1", b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42"})
_PRIORITY = ("image/avif", "image/heic", "image/heic-sequence", "image/heif", "image/heif-sequence", "audio/mp4")
_BOX_HEADER = struct.Struct(">I4s4s")  # size, "ftyp", major brand; then minor version and compatible brands


def sniff_iso_media(head: bytes) -> str | None:
    """The type an ISO base media file's brands name, or None when ``head`` is no such file (or no brand is known).

    A specific major brand decides (``heic``, ``avif``, ``M4A ``, ``qt  ``...); after a generic one (``mif1``,
    ``isom``...) the most specific of all the brands does, images and audio before video."""
    if len(head) < _BOX_HEADER.size:
        return None
    size, box, major = _BOX_HEADER.unpack_from(head)
    if box != b"ftyp" or size < 16 or size % 4:
        return None
    if major in _BRANDS and major not in _GENERIC:
        return _BRANDS[major]
    body = head[16 : min(size, len(head))]
    brands = [major, *(body[i : i + 4] for i in range(0, len(body) - 3, 4))]
    found = {_BRANDS[brand] for brand in brands if brand in _BRANDS}
    for content_type in _PRIORITY:
        if content_type in found:
            return content_type
    return "video/mp4" if found else None
