"""Stripe billing with the real SDK: Checkout against a local fake of the Stripe API, and webhooks signed with
Stripe's real scheme (a test secret): unsigned or stale events are 400, duplicates are acknowledged once, and a
shuffled, duplicated stream of 30 events ends in the same balances and subscriptions as the ordered stream."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from tests.studio_service.conftest import WEBHOOK_SECRET, serve_studio, studio_settings
from tests.studio_service.stripe_fake import FakeStripe

START = 1_790_000_000


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    with FakeStripe().running() as fake:
        yield fake


@pytest.fixture
def http(studio_db_url, medias_server, main_server, jwt_settings, tokens, fake_stripe) -> Iterator[httpx.Client]:
    settings = studio_settings(
        studio_db_url,
        medias_server,
        main_server,
        jwt_settings,
        STRIPE_SECRET_KEY="sk_test_0123456789abcdefghij",
        STRIPE_API_BASE=fake_stripe.url,
    )
    with serve_studio(settings, tokens) as client:
        yield client


def send(http: httpx.Client, event: dict[str, Any], *, timestamp: int | None = None, secret: str = WEBHOOK_SECRET):
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return http.post(
        "/api/v1/subscriptions/webhook",
        content=payload,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def event(kind: str, obj: dict[str, Any], created: int, event_id: str) -> dict[str, Any]:
    return {"id": event_id, "object": "event", "type": kind, "created": created, "data": {"object": obj}}


def pack_completed(user, offer: str, session: str, created: int, event_id: str) -> dict[str, Any]:
    obj = {
        "id": session,
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "client_reference_id": str(user.id),
        "metadata": {"user_id": str(user.id), "offer": offer},
    }
    return event("checkout.session.completed", obj, created, event_id)


def test_checkout_creates_a_stripe_session_for_a_pack_or_a_plan(http, fake_stripe, make_user) -> None:
    user = make_user()
    offers = http.get("/api/v1/subscriptions/offers").json()
    assert {o["code"] for o in offers} == {"starter", "big", "pro"}
    answer = http.post("/api/v1/subscriptions/checkout", json={"offer": "pro"}, headers=user.headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["url"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    sent = fake_stripe.sessions[-1]
    assert sent["mode"] == "subscription"
    assert sent["line_items[0][price]"] == "price_plan_pro"
    assert sent["subscription_data[metadata][user_id]"] == str(user.id)
    assert sent["client_reference_id"] == str(user.id)
    assert fake_stripe.headers[-1].get("Stripe-Version")
    pack = http.post("/api/v1/subscriptions/checkout", json={"offer": "starter"}, headers=user.headers)
    assert pack.status_code == 201 and fake_stripe.sessions[-1]["mode"] == "payment"
    unknown = http.post("/api/v1/subscriptions/checkout", json={"offer": "gold"}, headers=user.headers)
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_offer"


def test_unsigned_wrongly_signed_or_stale_webhooks_are_400(http, make_user) -> None:
    user = make_user()
    body = pack_completed(user, "starter", f"cs_{uuid.uuid4().hex}", START, f"evt_{uuid.uuid4().hex}")
    unsigned = http.post("/api/v1/subscriptions/webhook", content=json.dumps(body))
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "invalid_signature"
    assert send(http, body, secret="whsec_someone_else_0123456789").status_code == 400
    assert send(http, body, timestamp=int(time.time()) - 301).status_code == 400
    balance = http.get("/api/v1/credits/balance", headers=user.headers).json()
    assert balance["available"] == 0
    assert send(http, body, timestamp=int(time.time()) - 250).status_code == 200
    again = send(http, body)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert http.get("/api/v1/credits/balance", headers=user.headers).json()["available"] == 100


def stream(alice, bob, tag: str) -> list[dict[str, Any]]:
    """30 events in the order Stripe created them, for two users; ids carry ``tag`` so two runs do not meet."""
    t = iter(range(START, START + 1000, 10))
    events: list[dict[str, Any]] = []

    def add(kind: str, obj: dict[str, Any]) -> None:
        events.append(event(kind, obj, next(t), f"evt_{tag}_{len(events)}"))

    def subscription(user, sub: str, status: str, period_end: int) -> dict[str, Any]:
        return {
            "id": sub,
            "object": "subscription",
            "status": status,
            "metadata": {"user_id": str(user.id), "offer": "pro"},
            "items": {"data": [{"current_period_end": period_end}]},
        }

    def invoice(user, sub: str, number: int) -> dict[str, Any]:
        details = {"subscription": sub, "metadata": {"user_id": str(user.id), "offer": "pro"}}
        return {"id": f"in_{tag}_{sub}_{number}", "object": "invoice", "parent": {"subscription_details": details}}

    for number, (user, offer) in enumerate([(alice, "starter"), (bob, "big"), (bob, "starter")]):
        add("checkout.session.completed", pack_completed(user, offer, f"cs_{tag}_{number}", 0, "")["data"]["object"])
    for user, sub in ((alice, f"sub_{tag}_a"), (bob, f"sub_{tag}_b")):
        add(
            "checkout.session.completed",
            {
                "id": f"cs_{tag}_{sub}",
                "mode": "subscription",
                "payment_status": "paid",
                "subscription": sub,
                "metadata": {"user_id": str(user.id), "offer": "pro"},
            },
        )
        add("customer.subscription.created", subscription(user, sub, "incomplete", START + 100))
        add("customer.subscription.updated", subscription(user, sub, "active", START + 100))
        for month in range(1, 5):
            add("invoice.paid", invoice(user, sub, month))
            add("customer.subscription.updated", subscription(user, sub, "active", START + 100 + month * 2_592_000))
    add("customer.subscription.updated", subscription(alice, f"sub_{tag}_a", "past_due", START + 8_000_000))
    add("customer.subscription.updated", subscription(alice, f"sub_{tag}_a", "active", START + 8_000_000))
    add("customer.subscription.deleted", subscription(alice, f"sub_{tag}_a", "canceled", START + 8_000_000))
    add("customer.subscription.updated", subscription(bob, f"sub_{tag}_b", "past_due", START + 9_000_000))
    add("invoice.payment_failed", {"id": f"in_{tag}_failed", "object": "invoice"})
    assert len(events) == 30
    return events


def state(http: httpx.Client, user) -> tuple[int, dict[str, Any]]:
    balance = http.get("/api/v1/credits/balance", headers=user.headers).json()["available"]
    current = http.get("/api/v1/subscriptions/current", headers=user.headers).json()
    current.pop("subscription_id")
    return balance, current


def test_a_shuffled_duplicated_stream_ends_as_the_ordered_one(http, make_user) -> None:
    ordered_users, shuffled_users = (make_user(), make_user()), (make_user(), make_user())
    for sent in stream(*ordered_users, tag=uuid.uuid4().hex[:8]):
        assert send(http, sent).status_code == 200
    late = stream(*shuffled_users, tag=uuid.uuid4().hex[:8])
    deliveries = late + random.Random(15).sample(late, 12)  # a dozen delivered twice
    random.Random(7).shuffle(deliveries)
    answers = [send(http, sent) for sent in deliveries]
    assert all(answer.status_code == 200 for answer in answers)
    assert sum(answer.json()["duplicate"] for answer in answers) == 12
    ordered = [state(http, user) for user in ordered_users]
    assert ordered == [state(http, user) for user in shuffled_users]
    (alice_balance, alice_plan), (bob_balance, bob_plan) = ordered
    assert alice_balance == 100 + 4 * 500 and alice_plan["status"] == "canceled"
    assert bob_balance == 1000 + 100 + 4 * 500 and bob_plan["status"] == "past_due" and bob_plan["plan"] == "pro"
