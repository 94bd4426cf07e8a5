"""The public share routes' inputs and answers: bounded token, password and access-token parameters, and what a
link shows to anyone who has it (no owner details, links under /api/v1/s/{token})."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from litestar.params import HeaderParameter, QueryParameter

from medias_service.adapters.inbound.http.shares import Password
from medias_service.domain.shares import MAX_PASSWORD, MAX_TOKEN_LENGTH
from qhitz_shared.http.inputs import text_param
from qhitz_shared.http.openapi import problems
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
