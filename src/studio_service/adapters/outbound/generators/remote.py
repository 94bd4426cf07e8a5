"""The extension point for real AI models: a remote provider's HTTP API, with results in signed callbacks.

Submit: ``POST {url}/jobs`` with ``Authorization: Bearer {api_key}`` and ``{"job_id", "type", "parameters",
"callback_url"}`` (any 2xx accepts it). The provider then calls ``callback_url`` (studio_service's
``POST /api/v1/jobs/callbacks``) as often as it likes, each call signed per Standard Webhooks (``webhook-id``,
``webhook-timestamp``, ``webhook-signature`` headers; the shared ``whsec_`` secret) with ``{"job_id", "status":
"running"|"succeeded"|"failed", "progress", "output_url", "error"}``. This generator reports the progress it reads
from those callbacks (so cancel and deadlines work as for local jobs) and, on success, downloads ``output_url``.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import anyio
import httpx

from qhitz_shared.errors import DependencyUnavailableError
from studio_service.adapters.outbound.generators.local import GeneratorFailed
from studio_service.domain.jobs import ParameterRule
from studio_service.domain.projects import AssetKind
from studio_service.ports.generators import GeneratedFile, Progress, RemoteResults

MAX_OUTPUT_BYTES = 512 * 1024 * 1024
EXTENSIONS = {AssetKind.IMAGE: "png", AssetKind.VIDEO: "mp4", AssetKind.AUDIO: "wav"}


class RemoteGenerator:
    rule = ParameterRule(text=True, seconds=True)

    def __init__(
        self,
        job_type: str,
        kind: AssetKind,
        *,
        url: str,
        api_key: str,
        callback_url: str,
        http: httpx.AsyncClient,
        results: RemoteResults,
        poll_seconds: float = 1.0,
    ) -> None:
        self._type = job_type
        self._kind = kind
        self._url = url.rstrip("/")
        self._api_key = api_key
        self._callback_url = callback_url
        self._http = http
        self._results = results
        self._poll = poll_seconds

    async def generate(
        self, job_id: uuid.UUID, parameters: dict[str, Any], progress: Progress, workdir: Path
    ) -> list[GeneratedFile]:
        await self._submit(job_id, parameters)
        await progress(5)
        while True:
            result = await self._results.get(job_id)
            if result is not None and result.status == "succeeded" and result.output_url:
                break
            if result is not None and result.status == "failed":
                raise GeneratorFailed(f"the provider failed the job: {(result.error or 'no reason given')[:300]}")
            await progress(min(max(result.progress if result else 5, 5), 85))
            await asyncio.sleep(self._poll)
        await progress(90)
        filename = f"{self._type}.{EXTENSIONS.get(self._kind, 'bin')}"
        await self._download(result.output_url, workdir / filename)
        return [GeneratedFile(workdir / filename, filename, self._kind)]

    async def _submit(self, job_id: uuid.UUID, parameters: dict[str, Any]) -> None:
        body = {"job_id": str(job_id), "type": self._type, "parameters": parameters, "callback_url": self._callback_url}
        try:
            answer = await self._http.post(
                f"{self._url}/jobs", json=body, headers={"Authorization": f"Bearer {self._api_key}"}, timeout=30
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailableError("the generation provider did not answer") from exc
        if not answer.is_success:
            raise GeneratorFailed(f"the provider refused the job: {answer.status_code} {answer.text[:200]}")

    async def _download(self, url: str, path: Path) -> None:
        size = 0
        async with self._http.stream("GET", url, timeout=60) as answer:
            if not answer.is_success:
                raise GeneratorFailed(f"the provider's output answered {answer.status_code}")
            async with await anyio.open_file(path, "wb") as out:
                async for chunk in answer.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_OUTPUT_BYTES:
                        raise GeneratorFailed("the provider's output is larger than 512 MiB")
                    await out.write(chunk)
