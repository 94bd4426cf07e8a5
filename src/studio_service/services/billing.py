"""Stripe billing: Checkout for plans and packs, and the webhook that grants credits and keeps subscriptions.

Each event id is recorded once (a duplicate is acknowledged and ignored); grants carry the paying object's id as
their ledger reference (a pack's Checkout session, a plan's invoice), so none is granted twice however events
repeat; a subscription's state comes from its newest event, and a deleted one is never brought back by a late
update. Hence a shuffled, duplicated stream ends in the same state and balance as the ordered one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import structlog

from qhitz_shared.errors import PermissionDeniedError
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal, user_of
from studio_service.domain.billing import Offer, OfferKind, Subscription, newer
from studio_service.domain.credits import EntryKind
from studio_service.domain.errors import UnknownOffer
from studio_service.domain.permissions import STUDIO_USE
from studio_service.ports.payments import PaymentGateway, WebhookVerifier
from studio_service.ports.repositories import BillingStore, CreditLedger

log = structlog.get_logger(__name__)


class Offers(dict[str, Offer]):
    """Plans and packs by code (STRIPE_PLANS, STRIPE_PACKS)."""


def _get(data: Mapping[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _when(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None


class BillingService:
    def __init__(
        self,
        store: BillingStore,
        ledger: CreditLedger,
        gateway: PaymentGateway,
        verifier: WebhookVerifier,
        offers: Offers,
        uow: UnitOfWork,
    ) -> None:
        self._store = store
        self._ledger = ledger
        self._gateway = gateway
        self._verifier = verifier
        self._offers = offers
        self._uow = uow

    def offers(self) -> list[Offer]:
        return sorted(self._offers.values(), key=lambda offer: (offer.kind, offer.code))

    async def checkout(self, actor: Principal, code: str) -> str:
        """The Stripe Checkout URL for the plan or pack ``code`` (UnknownOffer: 422)."""
        actor = user_of(actor)
        if not actor.has(STUDIO_USE):
            raise PermissionDeniedError("Requires the permission studio:use", required=[STUDIO_USE])
        offer = self._offers.get(code)
        if offer is None:
            raise UnknownOffer(f"Offers: {', '.join(sorted(self._offers))}", field="offer")
        return await self._gateway.checkout_url(actor.user_id, offer)

    async def current(self, actor: Principal) -> Subscription | None:
        return await self._store.current(user_of(actor).user_id)

    async def webhook(self, body: bytes, signature: str | None) -> bool:
        """Apply one signed event; False when it was a duplicate. InvalidSignature (400) when not signed right."""
        event = self._verifier.verify(body, signature)
        try:
            if not await self._store.first_time(str(event["id"]), str(event.get("type", ""))):
                return False
            await self._apply(event)
            await self._uow.commit()
        finally:
            await self._uow.rollback()
        return True

    async def _apply(self, event: Mapping[str, Any]) -> None:
        kind, obj, created = event.get("type"), _get(event, "data", "object") or {}, int(event.get("created") or 0)
        if kind == "checkout.session.completed":
            await self._checkout_completed(obj, created)
        elif kind == "invoice.paid":
            await self._invoice_paid(obj)
        elif kind in (
            "customer.subscription.updated",
            "customer.subscription.deleted",
            "customer.subscription.created",
        ):
            await self._subscription_changed(obj, created, deleted=kind == "customer.subscription.deleted")
        else:
            log.info("stripe_event_ignored", type=kind)

    async def _checkout_completed(self, session: Mapping[str, Any], created: int) -> None:
        user_id = _uuid(_get(session, "metadata", "user_id") or session.get("client_reference_id"))
        offer = self._offers.get(str(_get(session, "metadata", "offer")))
        if user_id is None or offer is None:
            log.warning("stripe_checkout_unknown", session=session.get("id"))
            return
        if offer.kind == OfferKind.PACK and session.get("payment_status") == "paid":
            await self._ledger.grant(
                user_id, offer.credits, EntryKind.PURCHASE, reference=f"checkout:{session.get('id')}", note=offer.code
            )
        subscription_id = session.get("subscription")
        if offer.kind == OfferKind.PLAN and isinstance(subscription_id, str):
            stored = await self._store.subscription(subscription_id, lock=True)
            if stored is None:  # the subscription events say the rest, whenever they come
                await self._store.save_subscription(
                    Subscription(user_id, subscription_id, offer.code, "active", None, created)
                )

    async def _invoice_paid(self, invoice: Mapping[str, Any]) -> None:
        details = _get(invoice, "parent", "subscription_details") or invoice.get("subscription_details") or {}
        subscription_id = details.get("subscription") or invoice.get("subscription")
        metadata = details.get("metadata") or {}
        stored = await self._store.subscription(subscription_id) if isinstance(subscription_id, str) else None
        user_id = _uuid(metadata.get("user_id")) or (stored.user_id if stored else None)
        offer = self._offers.get(str(metadata.get("offer") or (stored.plan if stored else "")))
        if user_id is None or offer is None or offer.kind != OfferKind.PLAN:
            log.warning("stripe_invoice_unknown", invoice=invoice.get("id"))
            return
        await self._ledger.grant(
            user_id, offer.credits, EntryKind.SUBSCRIPTION, reference=f"invoice:{invoice.get('id')}", note=offer.code
        )

    async def _subscription_changed(self, obj: Mapping[str, Any], created: int, *, deleted: bool) -> None:
        subscription_id = str(obj.get("id"))
        stored = await self._store.subscription(subscription_id, lock=True)
        if not newer(stored, created, deleted):
            return
        metadata = obj.get("metadata") or {}
        user_id = _uuid(metadata.get("user_id")) or (stored.user_id if stored else None)
        plan = str(metadata.get("offer") or (stored.plan if stored else ""))
        if user_id is None:
            log.warning("stripe_subscription_unknown", subscription=subscription_id)
            return
        items = _get(obj, "items", "data") or [{}]
        period_end = _when(items[0].get("current_period_end")) or _when(obj.get("current_period_end"))
        status = "canceled" if deleted else str(obj.get("status") or "active")
        await self._store.save_subscription(Subscription(user_id, subscription_id, plan, status, period_end, created))
