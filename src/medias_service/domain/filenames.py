"""Client filenames are display metadata only: reduced to a safe, printable base name."""

from __future__ import annotations

import re
import unicodedata

MAX_FILENAME_BYTES = 255
_RESERVED = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def _printable(char: str) -> bool:
    # Cc: control characters; Cf: format characters such as bidi overrides that disguise extensions
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def _truncate(name: str) -> str:
    if len(name.encode()) <= MAX_FILENAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot and stem and len(ext.encode()) <= 16 else ""
    body = name[: len(name) - len(suffix)] if suffix else name
    budget = MAX_FILENAME_BYTES - len(suffix.encode())
    encoded = body.encode()[:budget]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .") + suffix


def sanitize_filename(raw: str | None) -> str | None:
    """The last path segment, NFC-normalized, without control or format characters, reserved punctuation,
    leading dots or surrounding blanks, at most 255 UTF-8 bytes; None when nothing usable is left."""
    if not raw:
        return None
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char if _printable(char) else "" for char in name)
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return None
    if _WINDOWS_DEVICES.match(name):
        name = f"_{name}"
    return _truncate(name) or None
