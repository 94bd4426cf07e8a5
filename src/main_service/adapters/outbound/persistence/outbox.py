"""maindb's outbox (mail), read and marked sent by the shared relay."""

from __future__ import annotations

from main_service.adapters.outbound.persistence.models import outbox_event
from qhitz_shared.outbox import store


class SqlaOutboxStore(store.SqlaOutboxStore):
    table = outbox_event
