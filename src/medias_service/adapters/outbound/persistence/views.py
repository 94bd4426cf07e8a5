"""Hot reads (reads are not writes): Core selects decoded straight into the structs the media API answers with.

One statement for a media (its row, current version, sizes and tags), two for a page of any length (the count,
then the page with everything its items show). No ORM identity map, no domain entities, no session; connections
run in autocommit, so a read costs its statements and no BEGIN/ROLLBACK round trips around them.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import Row, Select, Text, and_, bindparam, func, select
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.asyncio import AsyncEngine
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
from medias_service.domain.library import MediaFilter
from medias_service.domain.media import ProcessingStatus
from qhitz_shared.pagination import PageRequest

_media = MediaModel.__table__
_version = MediaVersionModel.__table__
_size = MediaSizeModel.__table__
TAG_SEPARATOR = "\x1f"  # tags are printable (domain.tags), so the unit separator never occurs inside one

_INFO = ("width", "height", "duration_seconds", "bitrate", "video_codec", "audio_codec", "page_count")


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


_ONE = select(*_columns()).select_from(_with_current_version(_media)).where(_media.c.id == bindparam("media_id"))


def _page_query(filters: MediaFilter, page: PageRequest) -> Select:
    keys = sort_keys(filters)
    ids = (
        filtered(select(MediaModel.id, func.row_number().over(order_by=keys).label("position")), filters)
        .order_by(*keys)
        .offset(page.offset)
        .limit(page.limit)
        .subquery("page")
    )
    joined = _with_current_version(ids.join(_media, _media.c.id == ids.c.id))
    return select(*_columns()).select_from(joined).order_by(ids.c.position)


_READY = str(ProcessingStatus.READY)
_decode_sizes = msgspec.json.Decoder()


def _size_out(
    url_prefix: str,
    name: str,
    status: str,
    content_type: str | None,
    width: int | None,
    height: int | None,
    size: int | None,
    stored: bool | int,  # SQLite's JSON has no booleans
) -> SizeOut:
    return SizeOut(
        name,
        status,
        content_type,
        content_type.rpartition("/")[2] if content_type else None,
        width,
        height,
        size,
        f"{url_prefix}{name}/content" if status == _READY and stored else None,
    )


def _info_out(row: Row) -> InfoOut | None:
    values = {name: getattr(row, f"v_{name}") for name in _INFO}
    return InfoOut(**values) if any(value is not None for value in values.values()) else None


def _media_out(first: Row) -> MediaOut:
    """One media from its row."""
    media_id = first.id
    prefix = f"{API}/{media_id}/sizes/"
    rows = sorted(_decode_sizes.decode(first.sizes)) if first.sizes else []  # by name, as the model orders them
    sizes = [_size_out(prefix, *row) for row in rows]
    version = None
    if first.v_number is not None:
        version = VersionOut(
            number=first.v_number,
            status=first.v_status,
            error=first.v_error,
            size=first.v_size,
            sha256=first.v_sha256,
            content_type=first.v_content_type,
            kind=first.v_kind,
            original_filename=first.v_original_filename,
            restored_from=first.v_restored_from,
            created_at=first.v_created_at,
            content_url=f"{API}/{media_id}/versions/{first.v_number}/content",
            sizes=sizes,
            info=_info_out(first),
        )
    return MediaOut(
        id=media_id,
        owner_id=first.owner_id,
        title=first.title,
        description=first.description,
        is_public=first.is_public,
        kind=version.kind if version else None,
        content_type=version.content_type if version else None,
        size=version.size if version else None,
        sha256=version.sha256 if version else None,
        original_filename=version.original_filename if version else None,
        status=version.status if version else str(ProcessingStatus.PENDING),
        tags=sorted(first.tags.split(TAG_SEPARATOR)) if first.tags else [],
        version_count=first.version_count,
        current_version=version,
        sizes=sizes,
        content_url=f"{API}/{media_id}/content",
        created_at=first.created_at,
        updated_at=first.updated_at,
        deleted_at=first.deleted_at,
    )


class SqlaMediaViews:
    """A media and pages of a library as the API shows them. Visibility is the caller's job (services.access)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def media(self, media_id: uuid.UUID) -> MediaOut | None:
        """The media (trashed ones too), or None; one statement."""
        async with self._engine.connect() as connection:
            row = (await connection.execute(_ONE, {"media_id": media_id})).first()
        return _media_out(row) if row else None

    async def page(self, filters: MediaFilter, page: PageRequest) -> tuple[list[MediaOut], int]:
        """One page of ``filters.owner_id``'s library in the filter's order, and the total; two statements."""
        async with self._engine.connect() as connection:
            total = (await connection.execute(filtered(select(func.count(MediaModel.id)), filters))).scalar() or 0
            rows = (await connection.execute(_page_query(filters, page))).all() if total > page.offset else []
        return [_media_out(row) for row in rows], total
