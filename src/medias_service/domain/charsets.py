"""The character encoding of a text file, detected from its bytes (BOM, UTF-8, else charset-normalizer), named by
the label browsers know (WHATWG Encoding Standard), so the text is served as it was written."""

from __future__ import annotations

import unicodedata

from charset_normalizer import CharsetMatch, from_bytes

# Python codec → WHATWG label, for every legacy encoding a browser decodes; nothing else is ever declared.
_LABELS = {
    "utf_8": "utf-8",
    "ascii": "utf-8",  # a subset: declaring utf-8 lets later, non-ASCII lines still display
    "utf_16_le": "utf-16le",
    "utf_16_be": "utf-16be",
    "cp1252": "windows-1252",
    "latin_1": "windows-1252",  # browsers read ISO-8859-1 as its superset windows-1252
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1256": "windows-1256",
    "cp1257": "windows-1257",
    "cp1258": "windows-1258",
    "cp874": "windows-874",
    "cp866": "ibm866",
    **{f"iso8859_{n}": f"iso-8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    "koi8_r": "koi8-r",
    "koi8_u": "koi8-u",
    "mac_roman": "macintosh",
    "mac_cyrillic": "x-mac-cyrillic",
    "gb18030": "gb18030",
    "gbk": "gbk",
    "big5": "big5",
    "euc_jp": "euc-jp",
    "iso2022_jp": "iso-2022-jp",
    "shift_jis": "shift_jis",
    "euc_kr": "euc-kr",
}
# When two encodings read the bytes equally well (a text in the letters they share), the most common one wins.
_PREFERRED = ("cp1252", "latin_1", "cp1250", "cp1251")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16le"),
    (b"\xfe\xff", "utf-16be"),
)
_WIDE = ("utf_16_le", "utf_16_be")
_MULTIBYTE = ("gb18030", "gbk", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr")
_SINGLE_BYTE = tuple(codec for codec in _LABELS if codec not in _WIDE + _MULTIBYTE + ("utf_8", "ascii"))
# charset-normalizer stops at the first multi-byte encoding that decodes a short Latin text (French as gb18030):
# single-byte and multi-byte encodings are weighed in separate passes, then against each other.
_PASSES = (_SINGLE_BYTE, _MULTIBYTE)
# Decoded prose is mostly letters, digits, spaces and punctuation; bytes that merely decode are not.
_PROSE_SHARE = 0.8
# Bytes short of one character at the end of a sniffed head (a UTF-8 or UTF-16 sequence cut in two).
_CUT = 3


def _is_text(head: bytes, codec: str) -> bool:
    """Decodes (a character cut at the end aside) to text without control characters other than whitespace."""
    try:
        text = head.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - _CUT or exc.end != len(head):  # not a sequence the end of the head cut short
            return False
        text = head[: exc.start].decode(codec)
    return not any((ord(char) < 32 and char not in "\t\n\v\f\r\x1b") or char == "\x7f" for char in text)


def _reads_as_prose(head: bytes, codec: str) -> bool:
    """Guards the legacy encodings, where almost any bytes decode: most characters must be what texts are made of,
    and a text has a space or a line break somewhere (a lone word without a newline is refused: a rare loss)."""
    text = head.decode(codec, errors="ignore")
    # letters, digits, spaces, punctuation and marks (the vowel signs of Thai are marks, not letters)
    usual = sum(char.isalnum() or char.isspace() or unicodedata.category(char)[0] in "PM" for char in text)
    return usual >= _PROSE_SHARE * len(text) and any(char.isspace() for char in text)


def _matches(head: bytes, codecs: tuple[str, ...]) -> list[CharsetMatch]:
    """charset-normalizer's readings of ``head`` among ``codecs``. It finds nothing in bytes that end inside a
    character, as a longer file's head may (Shift_JIS, BOM-less UTF-16...): it is asked again without the last
    bytes, up to one character's worth."""
    for cut in range(_CUT + 1):
        found = list(from_bytes(head[: len(head) - cut], cp_isolation=list(codecs)))
        if found:
            return found
    return []


def _legacy(head: bytes) -> str | None:
    """The best legacy (or BOM-less UTF-16) codec by charset-normalizer's measures: least chaos, then most
    coherence, then the most common encoding among equals."""
    passes = [_WIDE] if b"\x00" in head else list(_PASSES)
    matches = [match for codecs in passes for match in _matches(head, codecs)]
    if not matches:
        return None
    best = min(matches, key=lambda match: (match.chaos, -match.coherence))
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    candidates = [codec for match in tied for codec in match.could_be_from_charset]
    return next((preferred for preferred in _PREFERRED if preferred in candidates), best.encoding)


def detect_charset(head: bytes) -> str | None:
    """The WHATWG label of ``head``'s encoding (``utf-8``, ``utf-16le``, ``windows-1252``...), or None when the
    bytes are not text in an encoding a browser reads. UTF-16 without a BOM is recognised only by its NUL bytes, so
    a short Latin text is never taken for it. A very short legacy text may be mistaken for a neighbour encoding
    (a few bytes say little); the longer the text, the surer the answer."""
    for bom, label in _BOMS:
        if head.startswith(bom):
            return label if _is_text(head[len(bom) :], label) else None
    if b"\x00" not in head and _is_text(head, "utf_8"):
        return "utf-8"
    codec = _legacy(head)
    if codec not in _LABELS or not _is_text(head, codec) or not _reads_as_prose(head, codec):
        return None
    return _LABELS[codec]
