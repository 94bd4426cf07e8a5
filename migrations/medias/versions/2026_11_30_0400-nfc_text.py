"""Text compared by people in NFC: media titles and descriptions, and tags (merged when two become one).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 04:00:00.000000

Two tags of one owner whose names have one NFC form (``café`` spelt with U+00E9 and with e + U+0301) become
one: the tag already spelt in NFC, or else the oldest, keeps its row; the media of the others are linked to it
and the others are deleted. Not reversible: the downgrade leaves the text normalised and the tags merged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from nfc_rows import batches, nfc, normalise_columns

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

tag = sa.table('media_tag', sa.column('id'), sa.column('owner_id'), sa.column('name'))
link = sa.table('media_tags_media', sa.column('media_id'), sa.column('tag_id'))


def _merge(bind: sa.Connection, duplicate: object, keeper: object) -> None:
    """The duplicate's media move to the keeper (each once), then the duplicate goes."""
    already = sa.select(link.c.media_id).where(link.c.tag_id == keeper)
    moved = bind.execute(
        sa.select(link.c.media_id).where(link.c.tag_id == duplicate, link.c.media_id.not_in(already))
    ).scalars().all()
    if moved:
        bind.execute(link.insert(), [{'media_id': media_id, 'tag_id': keeper} for media_id in moved])
    bind.execute(link.delete().where(link.c.tag_id == duplicate))
    bind.execute(tag.delete().where(tag.c.id == duplicate))


def upgrade() -> None:
    bind = op.get_bind()
    normalise_columns(bind, 'media', {'title': nfc, 'description': nfc})
    for rows in batches(bind, tag, ['owner_id', 'name']):
        for tag_id, owner_id, name in rows:
            if nfc(name) == name:
                continue
            keeper = bind.execute(
                sa.select(tag.c.id).where(tag.c.owner_id == owner_id, tag.c.name == nfc(name))
            ).scalar()
            if keeper is None:
                bind.execute(tag.update().where(tag.c.id == tag_id).values(name=nfc(name)))
            else:
                _merge(bind, tag_id, keeper)


def downgrade() -> None:
    pass
