"""Text compared by people in NFC: emails, usernames, names, role names and descriptions of existing rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 04:00:00.000000

Emails are unique: when two accounts' emails have one NFC form (possible before this revision), the account
already holding the NFC spelling, or else the oldest (UUIDv7 ids are time-ordered), gets it; any other keeps
its stored spelling and is logged, for an operator to settle with its owner (it still logs in by username).
Not reversible: the downgrade leaves the text normalised.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from nfc_rows import nfc, normalise_columns

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _lowered(value: str) -> str:
    return nfc(nfc(value).lower())  # lower-casing can decompose: NFC again, as main_service's rules do


def upgrade() -> None:
    bind = op.get_bind()
    normalise_columns(
        bind,
        'users',
        {'email': _lowered, 'username': _lowered, 'first_name': nfc, 'last_name': nfc},
        unique='email',
    )
    normalise_columns(bind, 'roles', {'name': _lowered, 'description': nfc}, unique='name')


def downgrade() -> None:
    pass
