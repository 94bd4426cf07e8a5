"""HttpUserDirectory: GET {main}/internal/v1/chat/users?email= with chat_service's service token."""

from __future__ import annotations

import inspect
import uuid

import httpx
import msgspec

from chat_service.ports.platform import DirectoryEntry
from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.revocation.transports import ServiceTokens


class ChatUserDocument(msgspec.Struct):
    id: uuid.UUID
    username: str


class HttpUserDirectory:
    """A rejected service token (401, after a key rotation) is dropped and the call retried once; an unreachable
    main_service is a 503 for the caller, never a guess."""

    def __init__(self, base_url: str, http: httpx.AsyncClient, tokens: ServiceTokens) -> None:
        self._url = f"{base_url.rstrip('/')}/internal/v1/chat/users"
        self._http = http
        self._tokens = tokens

    async def find_by_email(self, email: str) -> DirectoryEntry | None:
        for attempt in (1, 2):
            token = self._tokens.token()
            if inspect.isawaitable(token):
                token = await token
            try:
                response = await self._http.get(
                    self._url, params={"email": email}, headers={"Authorization": f"Bearer {token}"}, timeout=5
                )
            except httpx.HTTPError as exc:
                raise DependencyUnavailableError("main_service did not answer the directory lookup") from exc
            if response.status_code == 401 and attempt == 1:
                self._tokens.forget()
                continue
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise DependencyUnavailableError(f"main_service answered {response.status_code} to the lookup")
            try:
                document = msgspec.json.decode(response.content, type=ChatUserDocument)
            except msgspec.DecodeError as exc:
                raise DependencyUnavailableError("main_service sent a directory entry that cannot be read") from exc
            return DirectoryEntry(document.id, document.username)
        raise DependencyUnavailableError("main_service refused our service token")
