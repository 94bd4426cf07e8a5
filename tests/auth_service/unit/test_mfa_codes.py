"""TOTP arithmetic (pyotp) as auth_service applies it: one step of drift either way, codes kept as strings, and
recovery codes compared without separators or case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from auth_service.domain.mfa import clean_code, new_recovery_codes, recovery_code_digest
from auth_service.services.mfa import matching_step

SECRET = pyotp.random_base32()
NOW = datetime(2026, 11, 30, 12, 0, 10, tzinfo=UTC)


def code(offset_steps: int) -> str:
    totp = pyotp.TOTP(SECRET)
    return totp.generate_otp(totp.timecode(NOW) + offset_steps)


def test_the_current_step_and_one_either_side_match_and_name_their_step() -> None:
    base = pyotp.TOTP(SECRET).timecode(NOW)
    assert [matching_step(SECRET, code(offset), NOW) for offset in (-1, 0, 1)] == [base - 1, base, base + 1]
    assert matching_step(SECRET, code(-2), NOW) is None or code(-2) in {code(-1), code(0), code(1)}
    assert matching_step(SECRET, code(0), NOW + timedelta(seconds=90)) is None or code(0) in {
        code(2),
        code(3),
        code(4),
    }


def test_codes_are_six_digits_spaces_allowed() -> None:
    assert clean_code("123 456") == "123456"
    assert clean_code("012345") == "012345"  # a leading zero stays
    assert [clean_code(c) for c in ("12345", "1234567", "12345a", "")] == [None, None, None, None]
    assert matching_step(SECRET, "abcdef", NOW) is None


def test_recovery_codes_are_ten_distinct_and_typed_back_in_any_case_or_spacing() -> None:
    codes = new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    first = codes[0]
    assert recovery_code_digest(first) == recovery_code_digest(first.upper().replace("-", " "))
    assert recovery_code_digest(first) != recovery_code_digest(codes[1])
