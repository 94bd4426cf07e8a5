"""The shared text policy: NFC first, control characters refused, lengths in code points of the NFC form."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import msgspec
import pytest

from qhitz_shared.errors import InvalidInputError
from qhitz_shared.http.inputs import INT32_MAX, AwareDateTime, NonNegativeInt32, PositiveInt32, Text
from qhitz_shared.text import NaiveDateTime, clean_text, nfc, require_aware, without_control_characters

CAFE_NFD = "cafe\u0301"


def test_nfc_joins_combining_marks() -> None:
    assert nfc(CAFE_NFD) == "caf\u00e9"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\x85b", "a\ud800b"])
@pytest.mark.parametrize("multiline", [False, True])
def test_control_characters_and_lone_surrogates_are_refused(bad: str, multiline: bool) -> None:
    with pytest.raises(InvalidInputError) as caught:
        clean_text(bad, field="title", max_length=10, multiline=multiline)
    assert caught.value.extra["field"] == "title"


def test_a_single_line_collapses_whitespace_and_multiline_keeps_it() -> None:
    assert clean_text("  a \t b\r\n c ", field="t", max_length=10) == "a b c"
    assert clean_text("  a\tb\r\nc  ", field="t", max_length=10, multiline=True) == "a\tb\r\nc"


def test_the_limit_counts_code_points_of_the_nfc_form() -> None:
    decomposed = unicodedata.normalize("NFD", "\u00e9" * 5)
    assert len(decomposed) == 10
    assert clean_text(decomposed, field="t", max_length=5) == "\u00e9" * 5
    with pytest.raises(InvalidInputError):
        clean_text(unicodedata.normalize("NFD", "\u00e9" * 6), field="t", max_length=5)


def test_the_error_class_is_the_callers() -> None:
    class InvalidThing(InvalidInputError):
        code = "invalid_thing"

    with pytest.raises(InvalidThing):
        clean_text("x" * 3, field="t", max_length=2, error=InvalidThing)


def test_display_text_drops_what_the_policy_refuses() -> None:
    assert without_control_characters("Mozilla\x00/5.0\x1b[31m") == "Mozilla/5.0[31m"


def test_naive_date_times_are_refused_naming_the_field() -> None:
    aware = datetime(2030, 1, 1, tzinfo=UTC)
    assert require_aware(aware, "created_before") is aware
    assert require_aware(None, "created_before") is None
    with pytest.raises(NaiveDateTime) as caught:
        require_aware(datetime(2030, 1, 1), "created_before")
    assert (caught.value.code, caught.value.extra["field"]) == ("naive_datetime", "created_before")


class Body(msgspec.Struct):
    title: Text(5) = ""  # type: ignore[valid-type]
    number: PositiveInt32 = 1
    generation: NonNegativeInt32 = 0
    when: AwareDateTime | None = None


def test_boundary_types_bound_raw_input_and_refuse_control_characters() -> None:
    decode = msgspec.json.Decoder(Body).decode
    assert decode(f'{{"title": "{unicodedata.normalize("NFD", "ééééé")}"}}'.encode()).title  # 10 raw: let through
    with pytest.raises(msgspec.ValidationError, match="title"):
        decode(b'{"title": "' + b"x" * 21 + b'"}')  # past RAW_FACTOR times the limit
    with pytest.raises(msgspec.ValidationError, match="title"):
        decode(b'{"title": "a\\u0000b"}')
    with pytest.raises(msgspec.ValidationError, match="number"):
        decode(f'{{"number": {INT32_MAX + 1}}}'.encode())
    with pytest.raises(msgspec.ValidationError, match="generation"):
        decode(b'{"generation": -1}')
    with pytest.raises(msgspec.ValidationError, match="timezone"):
        decode(b'{"when": "2030-01-01T00:00:00"}')
