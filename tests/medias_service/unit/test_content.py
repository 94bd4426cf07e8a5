"""Sniffing, kinds, the allow-list and the rule for labels that contradict the bytes."""

from __future__ import annotations

import pytest

from medias_service.domain.content import SNIFF_BYTES, ContentPolicy, is_active, kind_of, serves_inline, sniff
from medias_service.domain.errors import ContentTypeMismatch, UnsupportedMediaType
from medias_service.domain.media import MediaKind
from tests.medias_service.processing.support import audio_bytes, avif_bytes, heic_bytes, video_bytes
from tests.medias_service.support import HTML, SVG, binary_bytes, pdf_bytes, png_bytes

BINARY = binary_bytes(4096)

SAMPLES = [
    (png_bytes(), "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(100), "image/jpeg"),
    (b"GIF89a" + bytes(50), "image/gif"),
    (pdf_bytes(), "application/pdf"),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(100), "video/mp4"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100), "audio/mpeg"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(100), "audio/wav"),
    (b"OggS\x00\x02" + bytes(100), "audio/ogg"),
    (b"PK\x03\x04" + bytes(100), "application/zip"),
    (SVG, "image/svg+xml"),
    (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    (HTML, "text/html"),
    (b"\n  <html><body>x</body></html>", "text/html"),
    (b"<!-- comment --><p>x</p>", "text/html"),
    (b'<?xml version="1.0"?><feed/>', "application/xml"),
    ("plain text, accents é and emoji 🎉\n".encode(), "text/plain; charset=utf-8"),
    (BINARY, "application/octet-stream"),
    (BINARY.replace(b"\x00", b"\x01") + b"\x00", "application/octet-stream"),
    # markup a browser would run, whatever the case or the leading whitespace and byte-order mark
    (b"<script>alert(document.cookie)</script>", "text/html"),
    (b"\xef\xbb\xbf \t<SCRIPT src=//evil.example/x.js></SCRIPT>", "text/html"),
    (b'<iframe src="https://evil.example/"></iframe>', "text/html"),
    (b"\r\n<IFrame srcdoc='<b>x</b>'>", "text/html"),
    (b"<head><title>t</title></head>", "text/html"),
    (b"<body onload=alert(1)>", "text/html"),
    (b"<!DOCTYPE html><p>x</p>", "text/html"),
    (b"<!doctype svg><svg/>", "image/svg+xml"),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    (b"X<html> is how a page starts", "text/plain; charset=utf-8"),  # markup only counts at the start
]


@pytest.mark.parametrize(("head", "expected"), SAMPLES)
def test_sniff(head, expected):
    assert sniff(head) == expected


def test_a_utf8_character_cut_at_the_end_of_the_head_is_still_text():
    head = ("é" * 5000).encode()[:8191]
    assert sniff(head) == "text/plain; charset=utf-8"


FRENCH = "Le cœur a ses raisons que la raison ne connaît point. Où est la bibliothèque ? 5 € — « bien sûr ».\n"


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        (FRENCH.encode("utf-16"), "utf-16le"),  # the BOM Windows tools write
        (FRENCH.encode("utf-16-be"), "utf-16be"),  # no BOM: its NUL bytes tell it
        (b"\xfe\xff" + FRENCH.encode("utf-16-be"), "utf-16be"),
        (FRENCH.encode("cp1252"), "windows-1252"),
        (b"caf\xe9\n", "windows-1252"),  # a short Latin text is not a UTF-8 character cut short
        ("Привет, как дела? Всё хорошо, спасибо.\n".encode("cp1251"), "windows-1251"),
        ("日本語のテキストです。こんにちは、世界。\n".encode("shift_jis"), "shift_jis"),
        ("Le cœur a ses raisons que la raison ne connaît point.\n".encode("cp1252"), "windows-1252"),  # not gb18030
        ("Zażółć gęślą jaźń, który się znalazł w Łodzi.\n".encode("cp1250"), "windows-1250"),
        (b"\xef\xbb\xbf" + FRENCH.encode(), "utf-8"),
        (b"plain ascii\n", "utf-8"),
        ((FRENCH * 100).encode("utf-16")[: SNIFF_BYTES - 1], "utf-16le"),  # a character cut by the sniffed head
    ],
)
def test_a_text_carries_the_charset_it_is_written_in(data, charset):
    assert sniff(data) == f"text/plain; charset={charset}"
    assert data.decode(charset, errors="ignore")  # the label names a codec that reads it


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(1, 11)) + b"%PDF",
        b"\x9a\xe4\xb1\xfe\xc3\xa8\xd0\x8f\xee\xb7\xf9\x81\xcc\xab\xdd\xa2",
        b"\xe9\xe8\xe0" * 3,
    ],
)
def test_bytes_that_merely_decode_in_a_legacy_encoding_are_not_text(data):
    assert sniff(data) == "application/octet-stream"


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + b"binary \x01\x02\x03 bytes",
        b"\xff\xfe" + "binary \x01\x02\x03 bytes".encode("utf-16-le"),
        b"\xfe\xff" + "binary \x01\x02\x03 bytes".encode("utf-16-be"),
    ],
)
def test_a_byte_order_mark_before_binary_bytes_does_not_make_a_text(data):
    assert sniff(data) == "application/octet-stream"


@pytest.mark.parametrize(
    ("text", "encoding", "charset"),
    [
        ("日本語のテキストです。こんにちは、世界。\n", "shift_jis", "shift_jis"),
        ("日本語のテキストです。\n", "gb18030", "gb18030"),  # not taken for a single-byte text either
        (FRENCH, "utf-16-le", "utf-16le"),  # no BOM: an odd-sized head ends inside a character
        (FRENCH, "utf-16-be", "utf-16be"),
    ],
)
def test_a_legacy_text_cut_inside_a_character_by_the_head_is_still_text(text, encoding, charset):
    """A file longer than the head is cut at SNIFF_BYTES wherever that falls: in a two-byte character too."""
    data = (text * 1000).encode(encoding)
    for end in (SNIFF_BYTES - 1, SNIFF_BYTES):
        assert sniff(data[:end]) == f"text/plain; charset={charset}"


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        # Thai vowel signs are marks; the tie between codecs that read the bytes equally (least chaos) goes to the
        # most coherent language
        ("สวัสดีครับ คุณสบายดีไหม\n".encode("cp874"), "windows-874"),
        ("Ελληνικά κείμενα είναι εδώ, καλή σας μέρα.\n".encode("cp1253"), "windows-1253"),
        # punctuation is what prose is made of too: exclamation, guillemets, dashes, ellipses
        ("Déjà-vu?! «Très» (doué)...\n".encode("cp1252"), "windows-1252"),
        ("Élèves très doués, +$$++\n".encode("cp1252"), "windows-1252"),  # exactly 4 usual characters in 5
    ],
)
def test_legacy_texts_on_the_edge_of_the_rules(data, charset):
    assert sniff(data) == f"text/plain; charset={charset}"


@pytest.mark.parametrize(("encoding", "charset"), [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")])
@pytest.mark.parametrize("kept", [1, 2, 3])
def test_a_bom_less_utf16_text_cut_inside_a_surrogate_pair_is_still_text(encoding, charset, kept):
    data = (FRENCH + "🎉\n").encode(encoding) * 100
    end = data.index("🎉".encode(encoding), 6000) + kept  # 1 to 3 of the emoji's 4 bytes
    assert sniff(data[:end]) == f"text/plain; charset={charset}"


def test_a_legacy_text_of_more_than_one_symbol_in_five_is_not_prose():
    assert sniff("Élève très doué +$$++\n".encode("cp1252")) == "application/octet-stream"


def test_the_allow_list_matches_a_text_whatever_its_charset():
    assert POLICY.accept("text/plain; charset=windows-1252", None) == "text/plain; charset=windows-1252"


@pytest.mark.parametrize("kept", [1, 2, 3])
def test_a_four_byte_character_cut_at_the_end_of_the_head_is_still_text(kept):
    """The head is cut at SNIFF_BYTES whatever the text: up to 3 bytes of a 4-byte character may be left over."""
    head = b"emoji " + "🎉".encode()[:kept]
    assert sniff(head) == "text/plain; charset=utf-8"
    long_head = ("🎉" * 3000).encode()[: 4 * 2047 + kept]
    assert sniff(long_head) == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    "head",
    [
        b"x" * 100 + b"\xf0\x9f\x8e" + b"z",  # a 4-byte character broken off before the end: not a cut
        b"abc\x80" + b"d" * 50,
    ],
)
def test_invalid_utf8_before_the_end_is_binary(head):
    assert sniff(head) == "application/octet-stream"


@pytest.mark.parametrize(
    "head",
    [
        b"name\tvalue\r\nnext\tline\n",  # tab, CR, LF
        b"page one\x0cpage two\x0bvertical tab\n",  # form feed, vertical tab
        b"\x1b[31mred\x1b[0m log line\n",  # ANSI escapes in a log file
        b"no control bytes at all",
    ],
)
def test_text_with_ordinary_control_characters_is_text(head):
    assert sniff(head) == "text/plain; charset=utf-8"


@pytest.mark.parametrize("control", [0x00, 0x01, 0x07, 0x08, 0x0E, 0x1A, 0x1C, 0x1F, 0x7F])
def test_other_control_bytes_make_a_file_binary(control):
    assert sniff(b"looks like text " + bytes([control]) + b" but is not\n") == "application/octet-stream"


@pytest.mark.parametrize("head", [b"<script>alert(1)</script>", b"  <iframe src=x>", b"<!-- x --><b>y</b>", b"<html>"])
def test_active_content_cannot_pass_as_plain_text(head):
    """The default allow-list takes text/plain: such files must not sniff as text, nor hide behind its label."""
    sniffed = sniff(head)
    assert sniffed != "text/plain" and is_active(sniffed)
    with pytest.raises(ContentTypeMismatch):
        POLICY.accept(sniffed, "text/plain")
    with pytest.raises(UnsupportedMediaType):
        POLICY.accept(sniffed, None)


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("image/png", MediaKind.IMAGE),
        ("image/svg+xml", MediaKind.IMAGE),
        ("video/webm", MediaKind.VIDEO),
        ("audio/ogg", MediaKind.AUDIO),
        ("application/pdf", MediaKind.DOCUMENT),
        ("text/plain", MediaKind.DOCUMENT),
        ("application/zip", MediaKind.OTHER),
        ("application/octet-stream", MediaKind.OTHER),
    ],
)
def test_kinds(content_type, kind):
    assert kind_of(content_type) is kind


def test_inline_or_attachment():
    assert serves_inline("image/png") and serves_inline("video/mp4") and serves_inline("audio/mpeg")
    assert serves_inline("application/pdf")
    for active in ("image/svg+xml", "text/html", "application/xml", "text/javascript"):
        assert is_active(active) and not serves_inline(active)
    assert not serves_inline("text/plain") and not serves_inline("application/zip")


POLICY = ContentPolicy(["image/*", "application/pdf", "text/plain"])


def test_the_sniffed_type_wins_over_a_harmless_label():
    assert POLICY.accept("image/png", "application/pdf") == "image/png"
    assert POLICY.accept("image/png", None) == "image/png"
    assert POLICY.accept("image/svg+xml", "image/svg+xml; charset=utf-8") == "image/svg+xml"
    assert POLICY.accept("image/svg+xml", "application/octet-stream") == "image/svg+xml"


def test_a_label_hiding_active_content_is_refused():
    with pytest.raises(ContentTypeMismatch) as raised:
        POLICY.accept("image/svg+xml", "image/png")
    assert raised.value.extra == {"sniffed_type": "image/svg+xml", "declared_type": "image/png"}
    assert raised.value.detail == "The content is image/svg+xml, not image/png"
    with pytest.raises(ContentTypeMismatch) as raised:
        POLICY.accept("image/svg+xml", " Image/PNG ; charset=utf-8")
    assert raised.value.extra["declared_type"] == "image/png"


@pytest.mark.parametrize("label", [None, "", "  ", "application/octet-stream", "image/svg+xml; charset=utf-8; x=y"])
def test_active_content_with_no_label_or_its_own_label_is_stored_as_sniffed(label):
    assert POLICY.accept("image/svg+xml", label) == "image/svg+xml"


def test_types_off_the_allow_list_are_refused():
    for sniffed in ("text/html", "video/mp4", "application/octet-stream"):
        with pytest.raises(UnsupportedMediaType) as raised:
            POLICY.accept(sniffed, None)
        assert raised.value.extra == {"sniffed_type": sniffed}
        assert raised.value.detail == f"Content of type {sniffed} is not accepted"


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + bytes(64)


def test_iso_media_files_are_what_their_brands_say(tmp_path):
    """HEIC, AVIF, MP4, QuickTime and M4A share the ISO media container: the brands, not the container, decide."""
    samples = {
        "image/heic": heic_bytes(64, 48),
        "image/avif": avif_bytes(64, 48),
        "video/mp4": video_bytes(tmp_path, width=64, height=48, seconds=0.5),
        "audio/mp4": audio_bytes(tmp_path, seconds=0.5, suffix=".m4a"),
    }
    for expected, data in samples.items():
        assert sniff(data[:SNIFF_BYTES]) == expected
        assert kind_of(sniff(data[:SNIFF_BYTES])).value == expected.split("/")[0]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (_ftyp(b"mif1", b"mif1", b"heic"), "image/heic"),  # a generic major brand: the specific compatible decides
        (_ftyp(b"mif1", b"mif1", b"miaf"), "image/heif"),
        (_ftyp(b"msf1", b"msf1", b"hevc"), "image/heic-sequence"),
        (_ftyp(b"avis", b"avis", b"msf1"), "image/avif"),
        (_ftyp(b"qt  ", b"qt  "), "video/quicktime"),
        (_ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "video/mp4"),
        (_ftyp(b"M4A ", b"M4A ", b"isom"), "audio/mp4"),
        (_ftyp(b"3gp5", b"3gp5", b"isom"), "video/3gpp"),
        (_ftyp(b"zzzz", b"yyyy"), "application/octet-stream"),  # an unknown family member is not guessed
        (_ftyp(b"mif1", b"heic", b"mif1"), "image/heic"),  # wherever the specific brand is listed
        (_ftyp(b"isom", b"avif", b"isom"), "image/avif"),
        (_ftyp(b"zzzz", b"mp42"), "video/mp4"),  # an unknown major brand with a known compatible one
        (_ftyp(b"isom", b"abhe", b"icab"), "video/mp4"),  # brands are 4-byte aligned: no "heic" across two
        (_ftyp(b"M4A "), "audio/mp4"),  # the smallest ftyp box: major brand and minor version only
        (_ftyp(b"heic")[:12], "image/heic"),  # the shortest head that names its major brand
    ],
)
def test_brands(head, expected):
    assert sniff(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        (8).to_bytes(4, "big") + b"ftypheic" + bytes(64),  # a box too small to hold the brand it seems to name
        (20).to_bytes(4, "big") + b"moovheic" + bytes(64),  # not an ftyp box
        (18).to_bytes(4, "big") + b"ftypheic" + bytes(64),  # boxes of brands are whole 4-byte words
        b"\x00\x00\x00\x10ftypheic"[:11],
    ],
)
def test_a_head_that_is_no_ftyp_box_names_no_brand(head):
    from medias_service.domain.brands import sniff_iso_media

    assert sniff_iso_media(head) is None
    assert sniff(head) != "image/heic"


def test_every_image_type_the_brands_name_gets_its_sizes():
    """The next image brand added to the sniffer must come with a decoder, or it would be stored without sizes."""
    from medias_service.domain.brands import _BRANDS
    from medias_service.domain.processing import RASTER_TYPES, planned_sizes

    for content_type in set(_BRANDS.values()):
        assert kind_of(content_type).value == content_type.split("/")[0]
        if content_type.startswith("image/"):
            assert content_type in RASTER_TYPES and planned_sizes(content_type), content_type
