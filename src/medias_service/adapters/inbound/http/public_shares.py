"""Share links for anyone who has one, no account needed: /api/v1/s/{token}[/content|/items/{id}/content|/zip|
/unlock]. A protected link takes its password in ``X-Share-Password``, or the access token from /unlock in
``X-Share-Access`` (or ``?access=``, for links pasted in a page)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import msgspec
from dishka import FromDishka
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from medias_service.adapters.inbound.http.content import serve
from medias_service.adapters.inbound.http.content_openapi import CONTENT, CONTENT_PROBLEMS
from medias_service.adapters.inbound.http.folders import MEDIA_SORT
from medias_service.adapters.inbound.http.shares import PUBLIC, Password
from medias_service.adapters.inbound.http.zipped import zip_response
from medias_service.adapters.outbound.persistence.views import SqlaMediaViews
from medias_service.domain.folders import ChildOrder, ChildSort
from medias_service.domain.library import MediaFilter, SortOrder
from medias_service.domain.shares import MAX_PASSWORD, MAX_TOKEN_LENGTH, ShareTarget
from medias_service.ports.storage import MediaStorage
from medias_service.services.downloads import DownloadService
from medias_service.services.public_shares import ShareAccess, ShareProof
from qhitz_shared.http.inputs import text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Paging
from qhitz_shared.text import NO_CONTROL_PATTERN

MAX_PATH = 4096
TokenParam = Annotated[str, text_param(MAX_TOKEN_LENGTH, normalised=False)]
MAX_ACCESS_TOKEN = 1024
PasswordHeader = Annotated[
    str | None,
    HeaderParameter(name="X-Share-Password", max_length=MAX_PASSWORD, pattern=NO_CONTROL_PATTERN, required=False),
]
AccessHeader = Annotated[
    str | None,
    HeaderParameter(name="X-Share-Access", max_length=MAX_ACCESS_TOKEN, pattern=NO_CONTROL_PATTERN, required=False),
]
AccessQuery = Annotated[
    str | None,
    QueryParameter(name="access", max_length=MAX_ACCESS_TOKEN, pattern=NO_CONTROL_PATTERN, required=False),
]
SHARE_PROBLEMS = problems(401, 404, 429)


class UnlockIn(msgspec.Struct, forbid_unknown_fields=True):
    password: Password


class UnlockOut(msgspec.Struct):
    """Send ``access_token`` in X-Share-Access (or ?access=) for ``expires_in`` seconds instead of the password."""

    access_token: str
    expires_in: int


class SharedFileOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    size: int | None
    content_type: str | None
    updated_at: datetime | None
    content_url: str


class SharedFolderOut(msgspec.Struct):
    name: str
    path: list[str]
    """Folder names from the shared folder (excluded) down to this one: what ``?path=`` names."""


class SharedOut(msgspec.Struct):
    """What a link shares: a ``file``, or a ``folder`` with one page of its children (sub-folders first, then
    files; ``?path=a/b`` for a sub-folder)."""

    kind: str
    name: str
    allow_download: bool
    expires_at: datetime | None
    zip_url: str
    file: SharedFileOut | None = None
    folder: SharedFolderOut | None = None
    folders: list[SharedFolderOut] = msgspec.field(default_factory=list)
    files: list[SharedFileOut] = msgspec.field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20


def _proof(request: Request[Any, Any, Any], password: str | None, access: str | None) -> ShareProof:
    client = request.client.host if request.client else "unknown"
    return ShareProof(client=client, password=password, access_token=access)


def counted(stream: AsyncIterator[bytes], give_back: Callable[[], Awaitable[None]]) -> AsyncIterator[bytes]:
    """The bytes as they go; a download claimed before them is given back unless they all went out."""

    async def body() -> AsyncIterator[bytes]:
        complete = False
        try:
            async for chunk in stream:
                yield chunk
            complete = True
        finally:
            if not complete:
                await asyncio.shield(give_back())

    return body()


def _counting(access: ShareAccess, target: ShareTarget) -> Callable[[AsyncIterator[bytes]], AsyncIterator[bytes]]:
    return lambda stream: counted(stream, lambda: access.give_back_download(target))


async def _shared_file(
    request: Request[Any, Any, Any],
    access: ShareAccess,
    downloads: DownloadService,
    token: str,
    proof: ShareProof,
    media_id: uuid.UUID | None = None,
) -> Response[Any]:
    """The shared file, or (``media_id``) one inside the shared folder, as the owner's download serves it."""
    target = await access.open(token, proof)
    content = await access.media_content(target, media_id)
    return await _download(request, access, target, serve(request, content, downloads, _counting(access, target)))


async def _download(
    request: Request[Any, Any, Any], access: ShareAccess, target: ShareTarget, response: Response[Any]
) -> Response[Any]:
    """A body about to be sent is a download: claimed now (404 when none is left), given back if cut short."""
    if request.method == "GET" and response.status_code in (200, 206):
        await access.claim_download(target)
    return response


class PublicShareController(Controller):
    path = f"{PUBLIC}/{{token:str}}"
    tags = ["shared"]

    @get("/", summary="What a link shares (a folder: one page of its children)", responses=SHARE_PROBLEMS)
    async def shared(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[TokenParam],
        access: FromDishka[ShareAccess],
        views: FromDishka[SqlaMediaViews],
        page_request: Paging,
        x_share_password: PasswordHeader = None,
        x_share_access: AccessHeader = None,
        access_query: AccessQuery = None,
        path: Annotated[str | None, text_param(MAX_PATH, normalised=False, description="a/b: a sub-folder")] = None,
        sort: Annotated[ChildSort, QueryParameter()] = ChildSort.NAME,
        order: Annotated[SortOrder, QueryParameter()] = SortOrder.ASC,
    ) -> SharedOut:
        target = await access.open(token, _proof(request, x_share_password, x_share_access or access_query))
        base = f"{PUBLIC}/{token}"
        link = target.link
        common = {"name": target.name, "allow_download": link.allow_download, "expires_at": link.expires_at}
        if target.media_id is not None:
            found = await views.media(target.media_id)
            assert found is not None
            file = SharedFileOut(
                found.id, found.title, found.size, found.content_type, found.updated_at, f"{base}/content"
            )
            return SharedOut(kind="file", zip_url=f"{base}/zip", file=file, **common)
        folder, chain = await access.folder_at(target, path)
        names = [item.name for item in chain[1:]]
        window = ChildOrder(sort, order is SortOrder.DESC, page_request.offset, page_request.limit)
        children = await access.children(target, folder, window)
        filters = MediaFilter(owner_id=children.owner_id, folder_id=folder.id, sort=MEDIA_SORT[sort], order=order)
        media, media_total = await views.window(filters, children.media_offset, children.media_limit)
        return SharedOut(
            kind="folder",
            zip_url=f"{base}/zip",
            folder=SharedFolderOut(folder.name, names),
            folders=[SharedFolderOut(item.name, [*names, item.name]) for item in children.folders],
            files=[
                SharedFileOut(m.id, m.title, m.size, m.content_type, m.updated_at, f"{base}/items/{m.id}/content")
                for m in media
            ],
            total=children.folder_total + media_total,
            page=page_request.page,
            per_page=page_request.per_page,
            **common,
        )

    @post(
        "/unlock",
        status_code=200,
        summary="Exchange the password for a short-lived access token",
        responses=SHARE_PROBLEMS,
    )
    async def unlock(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[TokenParam],
        data: JSONBody[UnlockIn],
        access: FromDishka[ShareAccess],
    ) -> UnlockOut:
        access_token, expires_in = await access.unlock(token, _proof(request, data.password, None))
        return UnlockOut(access_token=access_token, expires_in=expires_in)

    @get(
        "/content",
        summary="The shared file (Range, conditional GET)",
        operation_class=CONTENT,
        responses={**CONTENT_PROBLEMS, **SHARE_PROBLEMS},
    )
    async def content(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[TokenParam],
        access: FromDishka[ShareAccess],
        downloads: FromDishka[DownloadService],
        x_share_password: PasswordHeader = None,
        x_share_access: AccessHeader = None,
        access_query: AccessQuery = None,
    ) -> Response[Any]:
        proof = _proof(request, x_share_password, x_share_access or access_query)
        return await _shared_file(request, access, downloads, token, proof)

    @get(
        "/items/{media_id:uuid}/content",
        summary="A file inside the shared folder (Range, conditional GET)",
        operation_class=CONTENT,
        responses={**CONTENT_PROBLEMS, **SHARE_PROBLEMS},
    )
    async def item_content(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[TokenParam],
        media_id: FromPath[uuid.UUID],
        access: FromDishka[ShareAccess],
        downloads: FromDishka[DownloadService],
        x_share_password: PasswordHeader = None,
        x_share_access: AccessHeader = None,
        access_query: AccessQuery = None,
    ) -> Response[Any]:
        proof = _proof(request, x_share_password, x_share_access or access_query)
        return await _shared_file(request, access, downloads, token, proof, media_id)

    @get("/zip", summary="The shared folder (or file) as a ZIP, streamed as it is made", responses=SHARE_PROBLEMS)
    async def zip(
        self,
        request: Request[Any, Any, Any],
        token: FromPath[TokenParam],
        access: FromDishka[ShareAccess],
        storage: FromDishka[MediaStorage],
        x_share_password: PasswordHeader = None,
        x_share_access: AccessHeader = None,
        access_query: AccessQuery = None,
    ) -> Response[Any]:
        target = await access.open(token, _proof(request, x_share_password, x_share_access or access_query))
        files = await access.files(target)
        return await _download(
            request, access, target, zip_response(target.name, files, storage, _counting(access, target))
        )
