"""Signing keys from PEM files; in development a key is generated on first start.

``python -m auth_service.main.keys generate PATH`` writes a new Ed25519 private key (mode 0600) for rotation.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import structlog

from auth_service.services.tokens import KeyRing
from qhitz_shared.settings import AppSettings
from qhitz_shared.tokens import SigningKey

log = structlog.get_logger(__name__)

DEV_KEY = "auth/signing-key.pem"


def write_key(path: Path) -> SigningKey:
    key = SigningKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.to_pem())
    return key


def load_key_ring(paths: list[str], app: AppSettings) -> KeyRing:
    """The configured keys, newest first. Without any: a generated one in development, a refusal in production."""
    if not paths:
        if app.is_production:
            raise SystemExit("AUTH_SIGNING_KEYS is empty: production needs at least one Ed25519 PEM file")
        path = Path(app.data_dir) / DEV_KEY
        if not path.exists():
            try:
                write_key(path)
                log.warning("signing_key_generated", path=str(path))
            except FileExistsError:
                pass  # another process of this machine generated it first
        paths = [str(path)]
    keys: list[SigningKey] = []
    for path in paths:
        try:
            keys.append(SigningKey.from_file(path))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"cannot load signing key {path}: {exc}") from exc
    return KeyRing(keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth_service.main.keys")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="write a new Ed25519 signing key as PEM (never overwrites)")
    generate.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    try:
        key = write_key(args.path)
    except FileExistsError:
        print(f"{args.path} exists; not overwritten", file=sys.stderr)
        return 2
    print(f"wrote {args.path} (kid {key.kid})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
