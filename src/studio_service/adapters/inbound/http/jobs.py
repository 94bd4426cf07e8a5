"""/api/v1/jobs: create (idempotent), read, list, cancel, and follow progress over Server-Sent Events."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import msgspec
from dishka import FromDishka
from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from qhitz_shared.http.inputs import text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission, require_user
from studio_service.adapters.inbound.http.dto import JobIn, JobOut
from studio_service.adapters.inbound.http.strict import refuse_unknown_query
from studio_service.adapters.outbound.persistence.views import SqlaJobViews
from studio_service.domain.jobs import MAX_IDEMPOTENCY_KEY, TERMINAL, JobParameters, JobStatus
from studio_service.domain.permissions import STUDIO_USE
from studio_service.services.jobs import JobService

API = "/api/v1/jobs"


class JobStreamSettings(msgspec.Struct, frozen=True):
    """STUDIO_EVENTS_*: a job's progress stream polls the job every poll_seconds, sends a keep-alive comment
    after keepalive_seconds without news, and ends after max_seconds (the client reconnects)."""

    poll_seconds: float = 0.25
    keepalive_seconds: float = 15.0
    max_seconds: float = 3600.0


IdempotencyKey = Annotated[
    str,
    text_param(
        MAX_IDEMPOTENCY_KEY,
        min_length=1,
        normalised=False,
        header="Idempotency-Key",
        description="the same key with the same body returns the first answer; with another body: 409",
    ),
]


class JobsController(Controller):
    path = API
    before_request = refuse_unknown_query
    tags = ["jobs"]

    @post(
        "/",
        guards=[require_permission(STUDIO_USE)],
        summary="Queue a generation job; its price is held from your credits",
        responses=problems(402, 403, 404, 409, 422),
    )
    async def create(
        self,
        data: JSONBody[JobIn],
        idempotency_key: IdempotencyKey,
        principal: Caller,
        service: FromDishka[JobService],
    ) -> Response[JobOut]:
        parameters = JobParameters(data.parameters.text, data.parameters.seconds, data.parameters.voice)
        created = await service.create(principal, idempotency_key, data.project_id, data.type, parameters)
        headers = {"Location": f"{API}/{created.job.id}"}
        if created.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(JobOut.of(created.job), status_code=201, headers=headers)

    @get("/", guards=[require_user], summary="List jobs (your own, or anyone's with studio:read:any)")
    async def list_jobs(
        self,
        principal: Caller,
        service: FromDishka[JobService],
        page_request: Paging,
        owner_id: Annotated[uuid.UUID | None, QueryParameter(description="another owner (studio:read:any)")] = None,
        project_id: Annotated[uuid.UUID | None, QueryParameter()] = None,
        status: Annotated[JobStatus | None, QueryParameter()] = None,
        job_type: Annotated[str | None, text_param(32, normalised=False, query="type")] = None,
    ) -> Page[JobOut]:
        items, total = await service.page(principal, owner_id, project_id, status, job_type, page_request)
        return page_of([JobOut.of(item) for item in items], total, page_request)

    @get("/{job_id:uuid}", guards=[require_user], summary="One job", responses=problems(404))
    async def get_job(self, job_id: FromPath[uuid.UUID], principal: Caller, service: FromDishka[JobService]) -> JobOut:
        return JobOut.of(await service.get(principal, job_id))

    @delete(
        "/{job_id:uuid}",
        guards=[require_user],
        status_code=202,
        summary="Cancel: a queued job at once, a running one at its next step; 409 once finished",
        responses=problems(403, 404, 409),
    )
    async def cancel(self, job_id: FromPath[uuid.UUID], principal: Caller, service: FromDishka[JobService]) -> JobOut:
        return JobOut.of(await service.cancel(principal, job_id))

    @get(
        "/{job_id:uuid}/events",
        guards=[require_user],
        summary="Progress as Server-Sent Events (event: progress, data: JSON), until the job ends",
        media_type="text/event-stream",
        responses=problems(404),
    )
    async def events(
        self,
        job_id: FromPath[uuid.UUID],
        principal: Caller,
        service: FromDishka[JobService],
        views: FromDishka[SqlaJobViews],
        settings: FromDishka[JobStreamSettings],
    ) -> ServerSentEvent:
        await service.get(principal, job_id)  # 404 unless the caller may read it
        return ServerSentEvent(_progress(views, job_id, settings))


async def _progress(
    views: SqlaJobViews, job_id: uuid.UUID, settings: JobStreamSettings
) -> AsyncIterator[ServerSentEventMessage]:
    """A message whenever status, progress or the cancel flag change (polled every poll_seconds; a keep-alive
    comment every keepalive_seconds), the last one when the job ends; at most max_seconds."""
    last = None
    waited = 0.0
    loop = asyncio.get_running_loop()
    ends = loop.time() + settings.max_seconds
    while loop.time() < ends:
        state = await views.progress(job_id)
        if state is None:
            return
        status, progress, error, cancel_requested = state
        if state != last:
            last, waited = state, 0.0
            data = {"status": status.value, "progress": progress, "error": error, "cancel_requested": cancel_requested}
            yield ServerSentEventMessage(data=msgspec.json.encode(data).decode(), event="progress")
            if status in TERMINAL:
                return
        elif waited >= settings.keepalive_seconds:
            waited = 0.0
            yield ServerSentEventMessage(comment="keep-alive")
        await asyncio.sleep(settings.poll_seconds)
        waited += settings.poll_seconds
