"""HttpUserDirectory: GET {main}/internal/v1/chat/users?email= with chat_service's service token."""

from __future__ import annotations

import uuid

import httpx
import msgspec

from chat_service.ports.platform import DirectoryEntry
from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.service_tokens import ServiceTokens, get_with_service_token


class ChatUserDocument(msgspec.Struct):
    id: uuid.UUID
    username: str


class HttpUserDirectory:
    """An unreachable main_service is a 503 for the caller, never a guess."""

    def __init__(self, base_url: str, http: httpx.AsyncClient, tokens: ServiceTokens) -> None:
        self._url = f"{base_url.rstrip('/')}/internal/v1/chat/users"
        self._http = http
        self._tokens = tokens

    async def find_by_email(self, email: str) -> DirectoryEntry | None:
        response = await get_with_service_token(
            self._http, self._url, self._tokens, what="main_service's directory", params={"email": email}
        )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailableError(f"main_service answered {response.status_code} to the lookup")
        try:
            document = msgspec.json.decode(response.content, type=ChatUserDocument)
        except msgspec.DecodeError as exc:
            raise DependencyUnavailableError("main_service sent a directory entry that cannot be read") from exc
        return DirectoryEntry(document.id, document.username)
