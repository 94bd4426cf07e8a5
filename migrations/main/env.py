"""Alembic environment of maindb."""

from __future__ import annotations

from env_common import run

from main_service.adapters.outbound.persistence.models import metadata
from main_service.main.settings import MainSettings

run(metadata, MainSettings.from_env().db.url)
