"""TOTP secrets are encrypted at rest with configured keys; outside development a missing or weak key stops the
start, and a rotated key list still opens secrets encrypted with an older key."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from auth_service.adapters.outbound.crypto.fernet import FernetSecretBox, load_secret_box
from qhitz_shared.settings import AppSettings


def test_outside_development_a_key_is_required_and_must_be_strong(tmp_path: Path) -> None:
    production = AppSettings(env="production", data_dir=str(tmp_path))
    with pytest.raises(SystemExit, match="AUTH_MFA_ENCRYPTION_KEYS is empty"):
        load_secret_box([], production)
    with pytest.raises(SystemExit, match="32 bytes"):
        load_secret_box(["change-me"], production)
    with pytest.raises(SystemExit, match="weak key"):
        load_secret_box([base64.urlsafe_b64encode(b"a" * 32).decode()], production)
    box = load_secret_box([Fernet.generate_key().decode()], production)
    assert box.decrypt(box.encrypt("JBSWY3DPEHPK3PXP")) == "JBSWY3DPEHPK3PXP"
    assert not list(tmp_path.iterdir())  # nothing generated outside development


def test_development_generates_one_key_under_the_data_folder(tmp_path: Path) -> None:
    development = AppSettings(env="development", data_dir=str(tmp_path))
    first = load_secret_box([], development)
    secret = first.encrypt("JBSWY3DPEHPK3PXP")
    assert load_secret_box([], development).decrypt(secret) == "JBSWY3DPEHPK3PXP"  # the same key next start
    assert (tmp_path / "auth" / "mfa-key").stat().st_mode & 0o077 == 0


def test_secrets_stay_readable_across_a_key_rotation_and_unreadable_without_the_key() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    encrypted = FernetSecretBox([old]).encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in encrypted
    assert FernetSecretBox([new, old]).decrypt(encrypted) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(ValueError, match="no configured"):
        FernetSecretBox([new]).decrypt(encrypted)
