"""Revision 0003 rewrites existing users and roles in NFC, on PostgreSQL and SQLite, and settles email clashes."""

from __future__ import annotations

import unicodedata
import uuid

import sqlalchemy as sa

from main_service.adapters.outbound.persistence.models import RoleModel, UserModel
from tests.support import databases
from tests.support.nfc_migration import blank_db, run_sync

__all__ = ["blank_db"]

users = UserModel.__table__
roles = RoleModel.__table__


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_existing_rows_become_nfc_and_the_oldest_keeps_a_clashing_email(blank_db):
    databases.migrate("main", blank_db, "0002")
    older, newer, plain = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
    # Before NFC, two accounts could register one email in two spellings: ``newer`` holds the NFC one.
    rows = [
        {"id": older, "email": nfd("j\u00fcrgen@example.com"), "username": "older", "password_hash": None},
        {"id": newer, "email": "j\u00fcrgen@example.com", "username": "newer", "password_hash": None},
        {
            "id": plain,
            "email": nfd("zo\u00eb@example.com"),
            "username": "plain",
            "password_hash": None,
            "first_name": nfd("Zo\u00eb"),
            "last_name": nfd("Br\u00f6nte"),
        },
    ]
    run_sync(blank_db, lambda c: c.execute(users.insert(), [{"first_name": None, "last_name": None} | r for r in rows]))
    run_sync(
        blank_db,
        lambda c: c.execute(
            roles.insert().values(id=uuid.UUID(int=9), name="editors", description=nfd("Caf\u00e9 staff"))
        ),
    )

    databases.migrate("main", blank_db)

    found = run_sync(blank_db, lambda c: {r.id: r for r in c.execute(sa.select(users)).all()})
    assert found[newer].email == "j\u00fcrgen@example.com"  # already held the NFC spelling: keeps it
    assert found[older].email == nfd("j\u00fcrgen@example.com")  # left as it was, and logged
    assert (found[plain].email, found[plain].first_name, found[plain].last_name) == (
        "zo\u00eb@example.com",
        "Zo\u00eb",
        "Br\u00f6nte",
    )
    role = run_sync(blank_db, lambda c: c.execute(sa.select(roles).where(roles.c.name == "editors")).one())
    assert role.description == "Caf\u00e9 staff"
    databases.downgrade("main", blank_db, "0002")  # not reversible, but the downgrade runs
