"""Alembic environment of mediasdb."""

from __future__ import annotations

from env_common import run

from medias_service.adapters.outbound.persistence.models import metadata
from medias_service.main.settings import MediasSettings

run(metadata, MediasSettings.from_env().db.url)
