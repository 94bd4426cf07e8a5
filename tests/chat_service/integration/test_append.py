"""Appending to a group's history on both databases chat_service runs on: PostgreSQL (the sequence UPDATE, the
INSERT and the sender's read marker in one statement) and SQLite (make dev, in steps). Consecutive numbers, a
refused duplicate that leaves the counter untouched, and the membership read in one statement."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chat_service.adapters.outbound.persistence.groups import SqlaGroupRepository, SqlaMemberRepository
from chat_service.adapters.outbound.persistence.messages import SqlaMessageRepository
from chat_service.domain.groups import Group, Member, PlaybackControl, Role
from chat_service.domain.messages import Message, MessageKind, Page
from chat_service.ports.repositories import DuplicateClientMessage
from qhitz_shared.db import DatabaseSettings, create_engine
from tests.support import databases


class Counted:
    def __init__(self, session: AsyncSession, statements: list[str]) -> None:
        self.session, self.statements = session, statements


@pytest.fixture(params=["postgresql", "sqlite"])
def db_url(request, tmp_path) -> Iterator[str]:
    """Migrated outside the event loop (the helpers run their own)."""
    if request.param == "postgresql":
        with databases.migrated("chat", "chatappend") as url:
            yield url
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/chat.db"
        databases.migrate("chat", url)
        yield url


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Counted]:
    engine = create_engine(DatabaseSettings(url=db_url))
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            yield Counted(session, statements)
    finally:
        await engine.dispose()


def text_message(group_id: uuid.UUID, author_id: uuid.UUID, client_msg_id: str) -> Message:
    return Message(uuid.uuid4(), group_id, 0, MessageKind.TEXT, author_id, "hi", client_msg_id, datetime.now(UTC))


async def test_consecutive_numbers_no_gap_after_a_refused_duplicate_and_the_read_marker(db: Counted) -> None:
    groups, members, messages = (
        SqlaGroupRepository(db.session),
        SqlaMemberRepository(db.session),
        SqlaMessageRepository(db.session),
    )
    group_id, alice, bob = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await groups.add(Group(group_id, "g", "", 0, PlaybackControl.ADMINS))
    await members.add(Member(group_id, alice, Role.OWNER))
    await members.add(Member(group_id, bob, Role.MEMBER))
    await db.session.commit()

    first = await messages.append(text_message(group_id, alice, "one"), read_by=alice)
    second = await messages.append(text_message(group_id, bob, "two"))
    await db.session.commit()
    assert (first.seq, second.seq) == (1, 2)
    with pytest.raises(DuplicateClientMessage):
        await messages.append(text_message(group_id, alice, "one"), read_by=alice)
    await db.session.rollback()
    db.statements.clear()
    third = await messages.append(text_message(group_id, bob, "three"), read_by=bob)
    if db.session.bind.dialect.name == "postgresql":
        assert len(db.statements) == 1  # counter, row and read marker: one round trip
    await db.session.commit()
    assert third.seq == 3  # the refused duplicate took no number

    db.statements.clear()
    found = await groups.with_member(group_id, bob)
    assert len(db.statements) == 1
    assert found is not None
    group, member = found
    assert (group.last_seq, member.role, member.last_read_seq) == (3, Role.MEMBER, 3)
    assert (await members.get(group_id, alice)).last_read_seq == 1  # forward only, and only the reader's
    assert await groups.with_member(group_id, uuid.uuid4()) is None
    assert await groups.with_member(uuid.uuid4(), alice) is None
    await members.mark_read(group_id, alice, 9)
    await messages.append(text_message(group_id, alice, "four"), read_by=alice)
    await db.session.commit()
    assert (await members.get(group_id, alice)).last_read_seq == 9  # the marker only moves forward
    stored = await messages.page(group_id, Page(after_seq=0, limit=10))
    assert [(m.seq, m.client_msg_id) for m in stored] == [(1, "one"), (2, "two"), (3, "three"), (4, "four")]
