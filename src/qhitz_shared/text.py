"""One policy for client text, usable by every layer: Unicode NFC first, then control characters and length.

Text is NFC-normalised before anything else looks at it, so two spellings of ``café`` (U+00E9, or e + U+0301)
are one value, and a length limit counts code points of the NFC form. Control characters (Unicode Cc: NUL, the
C0 and C1 ranges, DEL) are refused everywhere, except tab, line feed and carriage return in multi-line text;
PostgreSQL refuses NUL in text columns, and the others only ever disguise what a reader sees. Lone surrogates
(which no UTF-8 column can store) are refused too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from qhitz_shared.errors import InvalidInputError

# The same rule as a regular expression, for the boundary types (qhitz_shared.http.inputs) and OpenAPI.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Lone surrogates stay out of the published pattern: JSON Schema tools (schemathesis) cannot generate from a
# surrogate range and drop the whole pattern; they never reach a handler anyway (msgspec's JSON decoder and the
# UTF-8 query decoding refuse them) and clean_text refuses them again.
FORBIDDEN_CHARACTERS = CONTROL_CHARACTERS + r"\ud800-\udfff"
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CHARACTERS}]")
NO_CONTROL_PATTERN = f"^[^{CONTROL_CHARACTERS}]*$"
# NFD can take up to four code points for one NFC code point (UAX #15): the raw text a boundary lets through
# before normalisation is this many times the limit of its NFC form.
RAW_FACTOR = 4
MAX_EMAIL = 254
_EMAIL = re.compile(
    r"^[^@\s\x00-\x1f\x7f-\x9f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)


class NaiveDateTime(InvalidInputError):
    code = "naive_datetime"
    title = "A date-time needs an offset"


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def nfc_or_none(value: str | None) -> str | None:
    return None if value is None else nfc(value)


def without_control_characters(value: str) -> str:
    """For text kept only for display (a User-Agent): what the policy refuses is dropped, not refused."""
    return _FORBIDDEN.sub("", value)


def clean_text(
    value: str,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    error: type[InvalidInputError] = InvalidInputError,
) -> str:
    """``value`` in NFC, trimmed; a single line also has its runs of whitespace collapsed to one space.

    Raises ``error`` (422, naming ``field``) when it holds a control character (tab, LF and CR are whitespace,
    collapsed in a single line) or has more than ``max_length`` code points once normalised.
    """
    text = nfc(value)
    if _FORBIDDEN.search(text):
        raise error(f"{field} cannot contain control characters", field=field)
    text = text.strip() if multiline else " ".join(text.split())
    if len(text) > max_length:
        raise error(f"{field} has at most {max_length} characters", field=field, max_length=max_length)
    return text


def normalize_email(value: str, *, error: type[InvalidInputError] = InvalidInputError, field: str = "email") -> str:
    """Emails compare case-insensitively and by their NFC form: NFC, trimmed and lower-cased; ``error`` (naming
    ``field``) when longer than MAX_EMAIL or not shaped like local@domain.tld."""
    email = nfc(nfc(value).strip().lower())
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise error("The email address is not valid", field=field)
    return email


def require_aware(value: datetime | None, field: str) -> datetime | None:
    """A date-time without an offset is refused (422 ``naive_datetime``) rather than guessed at."""
    if value is not None and value.tzinfo is None:
        raise NaiveDateTime(f"{field} needs an offset (Z or ±hh:mm), as in 2030-01-01T00:00:00Z", field=field)
    return value
