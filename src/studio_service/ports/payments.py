"""Stripe as studio_service needs it: Checkout sessions, and verified webhook events."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from studio_service.domain.billing import Offer


class PaymentGateway(Protocol):
    async def checkout_url(self, user_id: uuid.UUID, offer: Offer) -> str:
        """Create a Checkout session selling ``offer`` to ``user_id``; returns the page's URL.
        Raises DependencyUnavailableError when Stripe cannot be reached."""
        ...


class WebhookVerifier(Protocol):
    def verify(self, body: bytes, signature: str | None) -> dict[str, Any]:
        """The event, when ``signature`` signs ``body`` (within the tolerance); InvalidSignature otherwise."""
        ...
