"""GrowthBook-backed FeatureFlags: a payload file by default, a GrowthBook server when configured.

With a server, the payload is fetched in the background every ``refresh_seconds``; requests always evaluate
against the last good payload in memory and never wait on the network. A failed fetch keeps the last good one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import msgspec
import structlog
from growthbook import GrowthBookClient, Options, UserContext

log = structlog.get_logger(__name__)

DEFAULT_FEATURES_FILE = str(Path(__file__).resolve().parents[5] / "config" / "features.json")


class GrowthBookSettings(msgspec.Struct, frozen=True):
    """GROWTHBOOK_*: a server (api_host + client_key) or a local payload file."""

    api_host: str | None = None
    client_key: str | None = None
    features_file: str = DEFAULT_FEATURES_FILE
    refresh_seconds: float = 30.0
    timeout_seconds: float = 5.0

    @property
    def remote(self) -> bool:
        return bool(self.api_host and self.client_key)


class GrowthBookFeatureFlags:
    def __init__(self, settings: GrowthBookSettings, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._http = http
        self._client = GrowthBookClient(Options(api_host=None, client_key=None, refresh_strategy=None))
        self._features: dict[str, Any] = {}
        self._refresher: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Load the file payload, then (if configured) the server's; start refreshing in the background."""
        text = await asyncio.to_thread(Path(self._settings.features_file).read_text)
        await self._apply(json.loads(text))
        if self._settings.remote:
            await self.refresh()
            self._refresher = asyncio.create_task(self._refresh_forever(), name="growthbook-refresh")

    async def close(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            await asyncio.gather(self._refresher, return_exceptions=True)
        await self._client.close()

    async def refresh(self) -> bool:
        url = f"{self._settings.api_host.rstrip('/')}/api/features/{self._settings.client_key}"  # type: ignore[union-attr]
        try:
            response = await self._http.get(url, timeout=self._settings.timeout_seconds)
            response.raise_for_status()
            await self._apply(response.json())
            return True
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            log.warning("growthbook_refresh_failed", url=url, error=str(exc))
            return False

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.refresh_seconds)
            await self.refresh()

    async def _apply(self, payload: Mapping[str, Any]) -> None:
        features = payload["features"]
        if not isinstance(features, dict):
            raise ValueError("the GrowthBook payload has no features object")
        await self._client.set_features(features)
        self._features = features

    async def evaluate_all(self, attributes: Mapping[str, Any]) -> dict[str, Any]:
        context = UserContext(attributes=dict(attributes))
        return {key: await self._client.get_feature_value(key, None, context) for key in self._features}

    async def value(self, key: str, attributes: Mapping[str, Any], default: Any) -> Any:
        if key not in self._features:
            return default
        result = await self._client.get_feature_value(key, default, UserContext(attributes=dict(attributes)))
        return default if result is None else result
