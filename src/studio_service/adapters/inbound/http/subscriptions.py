"""/api/v1/subscriptions: Stripe Checkout, the current subscription, and Stripe's webhook."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_permission, require_user
from studio_service.adapters.inbound.http.dto import CheckoutIn, CheckoutOut, OfferOut, SubscriptionOut
from studio_service.domain.permissions import STUDIO_USE
from studio_service.services.billing import BillingService

WEBHOOK_MAX_BYTES = 256 * 1024  # Stripe's events are far smaller


class SubscriptionsController(Controller):
    path = "/api/v1/subscriptions"
    tags = ["subscriptions"]

    @get("/offers", summary="Plans and credit packs on sale")
    async def offers(self, service: FromDishka[BillingService]) -> list[OfferOut]:
        return [OfferOut.of(offer) for offer in service.offers()]

    @post(
        "/checkout",
        guards=[require_permission(STUDIO_USE)],
        summary="Start a Stripe Checkout for a plan or a credit pack; returns its URL",
        responses=problems(422, 503),
    )
    async def checkout(
        self, data: JSONBody[CheckoutIn], principal: Caller, service: FromDishka[BillingService]
    ) -> CheckoutOut:
        return CheckoutOut(url=await service.checkout(principal, data.offer))

    @get("/current", guards=[require_user], summary="Your subscription (status none without one)")
    async def current(self, principal: Caller, service: FromDishka[BillingService]) -> SubscriptionOut:
        return SubscriptionOut.of(await service.current(principal))

    @post(
        "/webhook",
        summary="Stripe's events, signed (Stripe-Signature over the raw body, 300 s tolerance)",
        status_code=200,
        request_max_body_size=WEBHOOK_MAX_BYTES,
        responses=problems(400, 503),
    )
    async def webhook(self, request: Request[Any, Any, Any], service: FromDishka[BillingService]) -> dict[str, bool]:
        body = await request.body()
        applied = await service.webhook(body, request.headers.get("stripe-signature"))
        return {"received": True, "duplicate": not applied}
