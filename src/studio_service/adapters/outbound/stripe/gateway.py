"""Stripe through its SDK: Checkout sessions (StripeClient, async over httpx) and webhook signatures."""

from __future__ import annotations

import json
import uuid
from typing import Any

import stripe

from qhitz_shared.errors import DependencyUnavailableError
from studio_service.domain.billing import Offer, OfferKind
from studio_service.domain.errors import BillingNotConfigured, InvalidSignature


class StripeCheckout:
    """``api_base`` points the SDK at another host (tests: a local fake of the endpoints used)."""

    def __init__(
        self, secret_key: str, success_url: str, cancel_url: str, *, api_base: str = "", timeout: float = 10.0
    ) -> None:
        self._success_url = success_url
        self._cancel_url = cancel_url
        self._client = (
            stripe.StripeClient(
                secret_key,
                base_addresses={"api": api_base} if api_base else {},
                http_client=stripe.HTTPXClient(timeout=timeout),
                max_network_retries=1,
            )
            if secret_key
            else None
        )

    async def checkout_url(self, user_id: uuid.UUID, offer: Offer) -> str:
        if self._client is None:
            raise BillingNotConfigured("STRIPE_SECRET_KEY is not set")
        metadata = {"user_id": str(user_id), "offer": offer.code}
        params: dict[str, Any] = {
            "mode": "subscription" if offer.kind == OfferKind.PLAN else "payment",
            "line_items": [{"price": offer.price_id, "quantity": 1}],
            "success_url": self._success_url,
            "cancel_url": self._cancel_url,
            "client_reference_id": str(user_id),
            "metadata": metadata,
        }
        if offer.kind == OfferKind.PLAN:
            params["subscription_data"] = {"metadata": metadata}  # so its events and invoices name the user
        try:
            session = await self._client.v1.checkout.sessions.create_async(params=params)  # type: ignore[arg-type]
        except stripe.StripeError as exc:
            raise DependencyUnavailableError(f"Stripe refused or did not answer: {exc.user_message or exc}") from exc
        if not session.url:
            raise DependencyUnavailableError("Stripe returned a session without a URL")
        return session.url


class StripeWebhookVerifier:
    """The SDK's check of the Stripe-Signature header over the raw body (HMAC-SHA256, ``tolerance`` seconds)."""

    def __init__(self, secret: str, tolerance: int = 300) -> None:
        self._secret = secret
        self._tolerance = tolerance

    def verify(self, body: bytes, signature: str | None) -> dict[str, Any]:
        if not self._secret:
            raise BillingNotConfigured("STRIPE_WEBHOOK_SECRET is not set")
        if not signature:
            raise InvalidSignature("The Stripe-Signature header is missing")
        try:
            stripe.WebhookSignature.verify_header(body, signature, self._secret, self._tolerance)
            event = json.loads(body)
        except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
            raise InvalidSignature("The Stripe-Signature does not match, or is older than the tolerance") from exc
        if not isinstance(event, dict) or "id" not in event or "type" not in event:
            raise InvalidSignature("The signed body is not a Stripe event")
        return event
