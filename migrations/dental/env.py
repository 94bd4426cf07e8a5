"""Alembic environment of dentaldb."""

from __future__ import annotations

from env_common import run

from dental_service.adapters.outbound.persistence.models import metadata
from dental_service.main.settings import DentalSettings

run(metadata, DentalSettings.from_env().db.url)
