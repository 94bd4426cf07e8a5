"""Hot reads (reads are not writes): Core selects decoded straight into the structs the media API answers with.

One statement for a media (its row, current version, sizes and tags), two for a page of any length (the count,
then the page with everything its items show). No ORM identity map, no domain entities, no session; connections
run in autocommit, so a read costs its statements and no BEGIN/ROLLBACK round trips around them.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Integer, Select, Text, and_, bindparam, func, select
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from medias_service.adapters.inbound.http.dto import API, InfoOut, MediaOut, SizeOut, VersionOut
from medias_service.adapters.outbound.persistence.models import (
    MediaModel,
    MediaSizeModel,
    MediaTagModel,
    MediaVersionModel,
    media_tags_media,
)
from medias_service.adapters.outbound.persistence.queries import filtered, sort_keys
from medias_service.domain.library import MediaFilter, SortField, SortOrder
from medias_service.domain.media import ProcessingStatus
from qhitz_shared.db import AutocommitEngine, HotStatement
from qhitz_shared.pagination import PageRequest

_media = MediaModel.__table__
_version = MediaVersionModel.__table__
_size = MediaSizeModel.__table__
TAG_SEPARATOR = "\x1f"  # tags are printable (domain.tags), so the unit separator never occurs inside one

# InfoOut's fields, in its order (a row's info columns become one InfoOut positionally)
_INFO = ("width", "height", "duration_seconds", "bitrate", "video_codec", "audio_codec", "page_count")
_NO_INFO = [None] * len(_INFO)


class json_rows(FunctionElement):  # noqa: N801 -- a SQL function, named like one
    """Aggregate: one JSON array per row, as JSON text ("[[...], ...]"; NULL or "[]" when there is no row)."""

    type = Text()
    inherit_cache = True
    name = "json_rows"


@compiles(json_rows)
def _json_rows_elsewhere(element: json_rows, compiler: Any, **kw: Any) -> str:
    raise CompileError("json_rows is written for PostgreSQL and SQLite")


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element: json_rows, compiler: Any, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))::text"


@compiles(json_rows, "sqlite")
def _json_rows_sqlite(element: json_rows, compiler: Any, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


def _sizes_of(version_id: Any) -> Any:
    """The version's sizes in one column, so a media is one row (and a page one row per media)."""
    s = _size.c
    stored = s.blob_id.is_not(None)  # a stored size has a blob
    return (
        select(json_rows(s.name, s.status, s.content_type, s.width, s.height, s.size, stored))
        .where(s.version_id == version_id)
        .scalar_subquery()
        .label("sizes")
    )


def _tags_of(media_id: Any) -> Any:
    return (
        select(func.aggregate_strings(MediaTagModel.name, TAG_SEPARATOR))
        .join(media_tags_media, media_tags_media.c.tag_id == MediaTagModel.id)
        .where(media_tags_media.c.media_id == media_id)
        .scalar_subquery()
        .label("tags")
    )


def _columns() -> list[Any]:
    m, v = _media.c, _version.c
    return [
        m.id,
        m.owner_id,
        m.title,
        m.description,
        m.is_public,
        m.version_count,
        m.created_at,
        m.updated_at,
        m.deleted_at,
        m.folder_id,
        _tags_of(m.id),
        v.number.label("v_number"),
        v.status.label("v_status"),
        v.error.label("v_error"),
        v.size.label("v_size"),
        v.sha256.label("v_sha256"),
        v.content_type.label("v_content_type"),
        v.kind.label("v_kind"),
        v.original_filename.label("v_original_filename"),
        v.restored_from.label("v_restored_from"),
        v.created_at.label("v_created_at"),
        *(v[name].label(f"v_{name}") for name in _INFO),
        _sizes_of(v.id),
    ]


def _with_current_version(media: Any) -> Any:
    """``media`` (the media table or a page of it) joined to its current version."""
    return media.outerjoin(
        _version, and_(_version.c.media_id == _media.c.id, _version.c.number == _media.c.current_version)
    )


_ONE = HotStatement(
    select(*_columns()).select_from(_with_current_version(_media)).where(_media.c.id == bindparam("media_id"))
)


def _page_query(filters: MediaFilter, offset: Any, limit: Any) -> Select:
    keys = sort_keys(filters)
    ids = (
        filtered(select(MediaModel.id, func.row_number().over(order_by=keys).label("position")), filters)
        .order_by(*keys)
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    joined = _with_current_version(ids.join(_media, _media.c.id == ids.c.id))
    return select(*_columns()).select_from(joined).order_by(ids.c.position)


def _owner_only(filters: MediaFilter) -> bool:
    """True for the everyday listing: one owner's library in some order, no other filter."""
    return filters == MediaFilter(owner_id=filters.owner_id, sort=filters.sort, order=filters.order)


@functools.cache
def _owner_statements(sort: SortField, order: SortOrder) -> tuple[HotStatement, HotStatement]:
    """The count and page statements of the everyday listing, built once per order with bound parameters
    (owner_id, offset, limit): building a select and its cache key again per request costs more than running it."""
    shape = MediaFilter(owner_id=bindparam("owner_id"), sort=sort, order=order)  # type: ignore[arg-type]
    count = filtered(select(func.count(MediaModel.id)), shape)
    page = _page_query(shape, bindparam("offset", type_=Integer), bindparam("limit", type_=Integer))
    return HotStatement(count), HotStatement(page)


_READY = str(ProcessingStatus.READY)
_decode_sizes = msgspec.json.Decoder()


def _media_out(row: Sequence[Any]) -> MediaOut:
    """One media from its row. Unpacked by position, in ``_columns()`` order: a page has 50 rows of 28 columns, and
    a lookup by name costs more than the rest of the mapping (the read-budget tests compare whole answers)."""
    (
        media_id, owner_id, title, description, is_public, version_count, created_at, updated_at, deleted_at,
        folder_id, tags,
        number, status, error, size, sha256, content_type, kind, original_filename, restored_from, version_created,
        *info, sizes_json,
    ) = row  # fmt: skip
    prefix = f"{API}/{media_id}/sizes/"
    rows = sorted(_decode_sizes.decode(sizes_json)) if sizes_json else []  # by name, as the model orders them
    sizes = [  # inline, not a function call per size: a page has 200 of them
        SizeOut(
            name,
            size_status,
            size_type,
            size_type.rpartition("/")[2] if size_type else None,
            width,
            height,
            size_bytes,
            f"{prefix}{name}/content" if size_status == _READY and stored else None,  # SQLite's JSON: stored is 0/1
        )
        for name, size_status, size_type, width, height, size_bytes, stored in rows
    ]
    version = None
    if number is not None:
        version = VersionOut(
            number=number,
            status=status,
            error=error,
            size=size,
            sha256=sha256,
            content_type=content_type,
            kind=kind,
            original_filename=original_filename,
            restored_from=restored_from,
            created_at=version_created,
            content_url=f"{API}/{media_id}/versions/{number}/content",
            sizes=sizes,
            info=None if info == _NO_INFO else InfoOut(*info),
        )
    return MediaOut(
        id=media_id,
        owner_id=owner_id,
        title=title,
        description=description,
        is_public=is_public,
        kind=kind,
        content_type=content_type,
        size=size,
        sha256=sha256,
        original_filename=original_filename,
        status=status if version else str(ProcessingStatus.PENDING),
        tags=sorted(tags.split(TAG_SEPARATOR)) if tags else [],
        version_count=version_count,
        current_version=version,
        sizes=sizes,
        content_url=f"{API}/{media_id}/content",
        created_at=created_at,
        updated_at=updated_at,
        deleted_at=deleted_at,
        folder_id=folder_id,
    )


class SqlaMediaViews:
    """A media and pages of a library as the API shows them. Visibility is the caller's job (services.access)."""

    def __init__(self, autocommit: AutocommitEngine) -> None:
        self._engine = autocommit.engine

    async def media(self, media_id: uuid.UUID) -> MediaOut | None:
        """The media (trashed ones too), or None; one statement."""
        async with self._engine.connect() as connection:
            rows = await _ONE.rows(connection, {"media_id": media_id})
        return _media_out(rows[0]) if rows else None

    async def page(self, filters: MediaFilter, page: PageRequest) -> tuple[list[MediaOut], int]:
        """One page of ``filters.owner_id``'s library in the filter's order, and the total; two statements."""
        return await self.window(filters, page.offset, page.limit)

    async def window(self, filters: MediaFilter, offset: int, limit: int) -> tuple[list[MediaOut], int]:
        """``limit`` media from ``offset`` in the filter's order, and the total; two statements (one when
        ``limit`` is 0)."""
        async with self._engine.connect() as connection:
            if _owner_only(filters):
                count, listing = _owner_statements(filters.sort, filters.order)
                total = (await count.rows(connection, {"owner_id": filters.owner_id}))[0][0]
                params = {"owner_id": filters.owner_id, "offset": offset, "limit": limit}
                rows = await listing.rows(connection, params) if total > offset and limit > 0 else []
            else:
                counted = filtered(select(func.count(MediaModel.id)), filters)
                total = (await connection.execute(counted)).scalar() or 0
                listed = _page_query(filters, offset, limit)
                rows = (await connection.execute(listed)).all() if total > offset and limit > 0 else []
        return [_media_out(row) for row in rows], total
