"""Alembic environment of chatdb."""

from __future__ import annotations

from env_common import run

from chat_service.adapters.outbound.persistence.models import metadata
from chat_service.main.settings import ChatSettings

run(metadata, ChatSettings.from_env().db.url)
