"""Composition root: chat_service is its controllers, its WebSocket route and its providers."""

from __future__ import annotations

from chat_service.adapters.inbound.http.groups import GroupController, MembersController
from chat_service.adapters.inbound.http.messages import MessagesController
from chat_service.adapters.inbound.ws.socket import group_socket
from chat_service.main.providers import ChatProvider, chat_use_cases
from chat_service.main.settings import ChatSettings
from qhitz_shared.revocation.wiring import RevocationSubscriberProvider
from qhitz_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    ChatSettings,
    [GroupController, MembersController, MessagesController, group_socket],
    lambda _: [ChatProvider(), chat_use_cases(), RevocationSubscriberProvider()],
    description="Group chat over WebSocket and watch parties with synchronized playback.",
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
