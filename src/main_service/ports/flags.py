"""Feature flag port."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class FeatureFlags(Protocol):
    """Evaluates flags for a set of attributes (id, email, roles, permissions, status)."""

    async def evaluate_all(self, attributes: Mapping[str, Any]) -> dict[str, Any]: ...

    async def value(self, key: str, attributes: Mapping[str, Any], default: Any) -> Any: ...
