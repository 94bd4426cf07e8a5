"""/api/v1/groups/{id}/messages and read markers; the playback state for late joiners."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from chat_service.adapters.frames import MessageOut, PlaybackOut
from chat_service.adapters.inbound.http.dto import (
    API,
    MessageCreate,
    MessageEdit,
    PlaybackOutDocument,
    ReadOut,
    ReadPut,
)
from chat_service.domain.messages import MAX_PAGE, Page
from chat_service.services.messages import MessageService
from chat_service.services.playback import PlaybackService, server_time_ms
from qhitz_shared.http.inputs import INT64_MAX
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_user

# Litestar drops a falsy bound (ge=0) from an optional parameter's OpenAPI schema: schema_extra states it
SeqQuery = Annotated[int | None, QueryParameter(ge=0, le=INT64_MAX, schema_extra={"minimum": 0})]
SeqPath = Annotated[int, PathParameter(ge=1, le=INT64_MAX)]


class MessagesController(Controller):
    path = f"{API}/{{group_id:uuid}}"
    tags = ["messages"]
    guards = [require_user]

    @post(
        "/messages",
        summary="Send; a retry with the same client_msg_id returns the stored message (200) instead of a new one",
        responses=problems(404, 409),
    )
    async def send_message(
        self,
        group_id: FromPath[uuid.UUID],
        data: JSONBody[MessageCreate],
        principal: Caller,
        messages: FromDishka[MessageService],
    ) -> Response[MessageOut]:
        message, created = await messages.send(group_id, principal.user_id, data.text, data.client_msg_id)
        return Response(MessageOut.of(message), status_code=201 if created else 200)

    @get(
        "/messages",
        summary="History by sequence: newest first (before_seq), or oldest first after after_seq alone",
        responses=problems(404),
    )
    async def list_messages(
        self,
        group_id: FromPath[uuid.UUID],
        principal: Caller,
        messages: FromDishka[MessageService],
        before_seq: SeqQuery = None,
        after_seq: SeqQuery = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 50,
    ) -> list[MessageOut]:
        page = Page(before_seq=before_seq, after_seq=after_seq, limit=limit)
        return [MessageOut.of(message) for message in await messages.history(group_id, principal.user_id, page)]

    @patch("/messages/{seq:int}", summary="Edit your own message", responses=problems(403, 404, 409))
    async def edit_message(
        self,
        group_id: FromPath[uuid.UUID],
        seq: SeqPath,
        data: JSONBody[MessageEdit],
        principal: Caller,
        messages: FromDishka[MessageService],
    ) -> MessageOut:
        return MessageOut.of(await messages.edit(group_id, principal.user_id, seq, data.text))

    @delete(
        "/messages/{seq:int}",
        status_code=200,
        summary="Delete (a tombstone keeps the sequence): authors their own, owners and admins any",
        responses=problems(403, 404, 409),
    )
    async def delete_message(
        self, group_id: FromPath[uuid.UUID], seq: SeqPath, principal: Caller, messages: FromDishka[MessageService]
    ) -> MessageOut:
        return MessageOut.of(await messages.delete(group_id, principal.user_id, seq))

    @put("/read", summary="Move your read marker forward to seq (the unread counts follow)", responses=problems(404))
    async def mark_read(
        self,
        group_id: FromPath[uuid.UUID],
        data: JSONBody[ReadPut],
        principal: Caller,
        messages: FromDishka[MessageService],
    ) -> ReadOut:
        return ReadOut(await messages.mark_read(group_id, principal.user_id, data.seq))

    @get("/playback", summary="The watch party's playback state and the server time (ms)", responses=problems(404))
    async def get_playback(
        self, group_id: FromPath[uuid.UUID], principal: Caller, playback: FromDishka[PlaybackService]
    ) -> PlaybackOutDocument:
        state = await playback.state(group_id, principal.user_id)
        return PlaybackOutDocument(PlaybackOut.of(state) if state else None, server_time_ms())
