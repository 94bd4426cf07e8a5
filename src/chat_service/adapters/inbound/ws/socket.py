"""WebSocket /api/v1/groups/{group_id}/ws: authenticate after accept (so the client sees a close code, not a bare
403), check membership, replay after ``after_seq`` from the database, then stream live frames and read the
client's. Heartbeats: uvicorn pings every socket (protocol ping frames) every 20 s, well under the gateway's
read timeout."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from typing import Any

import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.params import FromPath

from chat_service.adapters.frames import PlaybackFrame, PlaybackOut, ReadyFrame
from chat_service.adapters.inbound.ws import closes
from chat_service.adapters.inbound.ws.auth import authenticate, offered_token
from chat_service.adapters.inbound.ws.delivery import History, Removed
from chat_service.adapters.inbound.ws.pings import PingBook
from chat_service.adapters.inbound.ws.session import Closing, GroupSession
from chat_service.adapters.outbound.broadcast.events import group_channel
from chat_service.domain.events import Presence
from chat_service.ports.broadcast import Broadcaster
from chat_service.ports.events import GroupEvents
from chat_service.services.groups import GroupService
from chat_service.services.playback import PlaybackService, server_time_ms
from qhitz_shared.db import database_unavailable
from qhitz_shared.errors import AppError, DependencyUnavailableError, NotFoundError
from qhitz_shared.http.inputs import INT64_MAX

log = logging.getLogger("chat_service.ws")
_encoder = msgspec.json.Encoder()
RECHECK_SECONDS = 5.0


class SocketSettings(msgspec.Struct, frozen=True):
    """CHAT_SOCKET_*: max_frame_bytes: largest client frame (bigger: close 1009). typing_interval_ms: at most one
    typing frame per socket per interval. ping_window_seconds: how long a member's reported round trip counts
    when scheduling playback."""

    max_frame_bytes: int = 16_384
    typing_interval_ms: int = 2_000
    ping_window_seconds: float = 60.0


def _after_seq(socket: WebSocket[Any, Any, Any]) -> int | None:
    raw = socket.query_params.get("after_seq")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) > INT64_MAX:
        raise Closing(closes.PROTOCOL_ERROR, "after_seq is a non-negative integer")
    return int(raw)


@websocket("/api/v1/groups/{group_id:uuid}/ws")
async def group_socket(socket: WebSocket[Any, Any, Any], group_id: FromPath[uuid.UUID]) -> None:
    """Members only; see README "Chat protocol" for the frames and close codes."""
    container = socket.state.dishka_container
    token, subprotocol = offered_token(socket)
    await socket.accept(subprotocols=subprotocol)
    try:
        await _serve(socket, container, group_id, token or "")
    except Closing as closing:
        await _close(socket, closing.code, closing.reason)
    except (WebSocketDisconnect, OSError):
        return  # the client left (uvicorn raises ClientDisconnected, an OSError, on a send after it went)
    except DependencyUnavailableError:
        await _close(socket, closes.UNAVAILABLE, "dependency unavailable, try again")
    except Exception as error:
        if database_unavailable(error):  # the database is down or too slow: the client retries later
            await _close(socket, closes.UNAVAILABLE, "database unavailable, try again")
            return
        log.exception("websocket failed")
        await _close(socket, 1011, "internal error")


async def _serve(socket: WebSocket[Any, Any, Any], container: Any, group_id: uuid.UUID, token: str) -> None:
    try:
        principal = await authenticate(container, token, socket.app.state.get("principal_check"))
    except AppError as error:
        raise Closing(closes.UNAUTHENTICATED, error.code) from None
    after = _after_seq(socket)
    settings = await container.get(SocketSettings)
    broadcaster = await container.get(Broadcaster)
    events = await container.get(GroupEvents)
    pings = await container.get(PingBook)
    async with broadcaster.subscribe(group_channel(group_id)) as live:
        # subscribed first, then read: whatever is committed after this read arrives live
        try:
            async with container() as request:
                group, _ = await (await request.get(GroupService)).get(group_id, principal.user_id)
                state = await (await request.get(PlaybackService)).state(group_id, principal.user_id)
        except NotFoundError:
            raise Closing(closes.GROUP_NOT_FOUND, "group_not_found") from None
        if group.archived_at is not None:
            raise Closing(closes.GROUP_ARCHIVED, "the group is archived")
        session = GroupSession(
            socket,
            container,
            group_id=group_id,
            user_id=principal.user_id,
            token=token,
            history=History(container, group_id, principal.user_id, group.last_seq, lambda p: session.send(p)),
            events=events,
            pings=pings,
            max_frame_bytes=settings.max_frame_bytes,
            typing_interval_ms=settings.typing_interval_ms,
        )
        if after is not None and after < group.last_seq:
            session.history.last_seq = after
            try:
                await session.history.catch_up()
            except Removed:
                raise Closing(closes.REMOVED, "removed from the group") from None
        if state is not None:
            await session.send(_encoder.encode(PlaybackFrame(PlaybackOut.of(state), server_time_ms())))
        ready = ReadyFrame(session.connection_id, principal.user_id, session.history.last_seq, server_time_ms())
        await session.send(_encoder.encode(ready))
        await session.announce(0.0, force=True)
        check = socket.app.state.get("principal_check")
        checker = await container.get(check) if check is not None else None

        async def still_valid() -> None:
            if checker is not None:
                await checker.check(principal)

        try:
            await _run(session, live, _watch_token(principal.claims.exp if principal.claims else None, still_valid))
        finally:
            pings.forget(group_id, principal.user_id)
            with contextlib.suppress(Exception):
                await events.publish(group_id, Presence(principal.user_id, False))


async def _run(session: GroupSession, live: Any, watch: Any) -> None:
    """Until the client leaves, the token expires or is revoked, or a frame closes the socket; the first to end
    ends all."""
    tasks = [asyncio.create_task(session.pump(live)), asyncio.create_task(session.read()), asyncio.create_task(watch)]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        error = task.exception()
        if error is not None:
            raise error


async def _watch_token(expires_at: int | None, still_valid: Any) -> None:
    """Closes 4408 when the token's exp passes, and 4401 within RECHECK_SECONDS of its revocation (logout,
    password change, suspension: the shared deny state, no I/O)."""
    while True:
        left = float("inf") if expires_at is None else expires_at - time.time()
        if left <= 0:
            raise Closing(closes.TOKEN_EXPIRED, "token_expired")
        await asyncio.sleep(min(left, RECHECK_SECONDS))
        try:
            await still_valid()
        except AppError as error:
            raise Closing(closes.UNAUTHENTICATED, error.code) from None


async def _close(socket: WebSocket[Any, Any, Any], code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        await socket.close(code=code, reason=reason[:120])
