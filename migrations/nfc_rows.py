"""Row-by-row Unicode NFC normalisation for data migrations, in Python: SQLite (make dev) has no normalize().

Rows are read in batches by primary key (keyset pagination, so memory stays flat on a large table) and only the
rows whose text changes are written. Plain SQLAlchemy Core on the migration's own connection: the same code runs
on PostgreSQL and SQLite.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

BATCH = 1000
log = logging.getLogger("alembic.runtime.migration")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def batches(bind: sa.Connection, table: sa.TableClause, columns: Sequence[str]) -> Iterator[Sequence[sa.Row[Any]]]:
    """(id, *columns) rows ordered by id, BATCH at a time."""
    last = None
    while True:
        query = sa.select(table.c.id, *(table.c[name] for name in columns)).order_by(table.c.id).limit(BATCH)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = bind.execute(query).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def normalise_columns(
    bind: sa.Connection,
    table_name: str,
    columns: dict[str, Callable[[str], str]],
    *,
    unique: str | None = None,
) -> list[tuple[Any, str]]:
    """Rewrites each column of ``columns`` with its function; returns the (id, value) of rows left as they were
    because ``unique``'s normalised value already belongs to another row (the row holding it keeps it)."""
    table = sa.table(table_name, sa.column("id"), *(sa.column(name) for name in columns))
    names = list(columns)
    kept: list[tuple[Any, str]] = []
    for rows in batches(bind, table, names):
        for row in rows:
            values = {
                name: columns[name](value)
                for name, value in zip(names, row[1:], strict=True)
                if value is not None and columns[name](value) != value
            }
            if unique in values:
                holder = bind.execute(sa.select(table.c.id).where(table.c[unique] == values[unique])).first()
                if holder is not None:
                    kept.append((row[0], row[names.index(unique) + 1]))
                    del values[unique]
            if values:
                bind.execute(table.update().where(table.c.id == row[0]).values(**values))
    for row_id, value in kept:
        log.warning("nfc: %s %s keeps %r: its NFC form belongs to another row", table_name, row_id, value)
    return kept
