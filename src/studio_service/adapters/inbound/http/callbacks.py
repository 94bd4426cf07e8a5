"""POST /api/v1/jobs/callbacks: a remote provider's word on a job, signed per Standard Webhooks.

No token: the signature over ``webhook-id.webhook-timestamp.body`` with the shared secret (STUDIO_REMOTE_WEBHOOK_
SECRET, ``whsec_…``) is the proof, checked by the ``standardwebhooks`` package (timestamps more than five minutes
off are refused too). Unsigned, wrongly signed or stale: 400 invalid_signature."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import msgspec
from dishka import FromDishka
from litestar import Controller, Request, post
from standardwebhooks import Webhook, WebhookVerificationError

from qhitz_shared.errors import InvalidInputError
from qhitz_shared.http.openapi import problems
from studio_service.domain.errors import InvalidSignature, RemoteNotConfigured
from studio_service.ports.generators import RemoteResult, RemoteResults

CALLBACK_MAX_BYTES = 64 * 1024


class RemoteSettings(msgspec.Struct, frozen=True):
    """STUDIO_REMOTE_*: a remote generation provider (README "Job types and the generator port"): its API url and
    key, the job types it serves (type:kind, kind image, video or audio; each needs a price in STUDIO_JOBS_PRICES),
    the Standard Webhooks secret of its callbacks, the callback URL it is given, how often a waiting job looks."""

    url: str = ""
    api_key: str = ""
    types: list[str] = msgspec.field(default_factory=list)
    webhook_secret: str = ""
    callback_url: str = "http://127.0.0.1:3005/api/v1/jobs/callbacks"
    poll_seconds: float = 1.0


class Callback(msgspec.Struct):
    job_id: uuid.UUID
    status: Literal["running", "succeeded", "failed"]
    progress: int = 0
    output_url: str | None = None
    error: str | None = None


class RemoteCallbackController(Controller):
    path = "/api/v1/jobs/callbacks"
    tags = ["jobs"]

    @post(
        "/",
        summary="A remote provider's progress or result for a job (Standard Webhooks signature; no token)",
        status_code=204,
        request_max_body_size=CALLBACK_MAX_BYTES,
        responses=problems(400, 404, 422),
    )
    async def callback(
        self, request: Request[Any, Any, Any], settings: FromDishka[RemoteSettings], results: FromDishka[RemoteResults]
    ) -> None:
        if not settings.webhook_secret:
            raise RemoteNotConfigured("STUDIO_REMOTE_WEBHOOK_SECRET is not set")
        body = await request.body()
        try:
            Webhook(settings.webhook_secret).verify(body, dict(request.headers), json_parse=False)
        except (WebhookVerificationError, ValueError) as exc:
            raise InvalidSignature("The webhook signature is missing, wrong or stale") from exc
        try:
            word = msgspec.json.decode(body, type=Callback)
        except msgspec.DecodeError as exc:
            raise InvalidInputError(f"Not a job callback: {exc}") from exc
        await results.record(
            word.job_id,
            RemoteResult(word.status, max(0, min(word.progress, 100)), word.output_url, (word.error or "")[:2000]),
        )
