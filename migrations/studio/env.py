"""Alembic environment of studiodb."""

from __future__ import annotations

from env_common import run

from studio_service.adapters.outbound.persistence.models import metadata
from studio_service.main.settings import StudioSettings

run(metadata, StudioSettings.from_env().db.url)
