"""The studio's rules as plain Python: job parameters, the idempotency fingerprint, subscription ordering,
who may read and change what, offers from configuration."""

from __future__ import annotations

import uuid

import pytest

from qhitz_shared.errors import InvalidInputError
from qhitz_shared.principal import Principal
from studio_service.domain.billing import OfferKind, Subscription, newer
from studio_service.domain.errors import InvalidJobParameters
from studio_service.domain.jobs import JobParameters, ParameterRule, normalised_parameters, request_fingerprint
from studio_service.domain.permissions import can_read, can_write, scope_owner
from studio_service.domain.projects import asset_metadata
from studio_service.main.providers import offers_of
from studio_service.main.settings import StripeSettings

CARD = ParameterRule(text=True, seconds=True)


def test_parameters_are_normalised_bounded_and_limited_to_what_the_type_takes() -> None:
    assert normalised_parameters(CARD, JobParameters(text="  Cafe\u0301\n")) == {"text": "Café", "seconds": 3}
    with pytest.raises(InvalidJobParameters):
        normalised_parameters(CARD, JobParameters(text="   "))
    with pytest.raises(InvalidJobParameters):
        normalised_parameters(CARD, JobParameters(text="x", seconds=31))
    with pytest.raises(InvalidJobParameters):
        normalised_parameters(ParameterRule(text=True), JobParameters(text="x", seconds=2))
    with pytest.raises(InvalidJobParameters):
        normalised_parameters(ParameterRule(text=True, voice=True), JobParameters(text="x", voice="en; rm -rf"))
    noop = ParameterRule(text=False, seconds=True, min_seconds=0, default_seconds=0)
    assert normalised_parameters(noop, JobParameters()) == {"seconds": 0}


def test_the_fingerprint_is_the_normalised_body() -> None:
    project = uuid.uuid4()
    same = normalised_parameters(CARD, JobParameters(text="Cafe\u0301", seconds=3))
    assert request_fingerprint(project, "title_card", same) == request_fingerprint(
        project, "title_card", normalised_parameters(CARD, JobParameters(text="Café"))
    )
    assert request_fingerprint(project, "title_card", same) != request_fingerprint(project, "storyboard", same)


def sub(status: str, created: int) -> Subscription:
    return Subscription(uuid.uuid4(), "sub_1", "pro", status, None, created)


def test_subscription_state_comes_from_the_newest_event_and_a_deleted_one_stays_deleted() -> None:
    assert newer(None, 5, deleted=False)
    assert newer(sub("active", 5), 6, deleted=False)
    assert not newer(sub("active", 5), 4, deleted=False)
    assert not newer(sub("active", 5), 5, deleted=False)
    assert newer(sub("active", 5), 5, deleted=True)
    assert not newer(sub("canceled", 5), 9, deleted=False)


def test_owners_and_readers_of_anyones() -> None:
    owner = uuid.uuid4()
    user = Principal(subject=str(owner), permissions=frozenset({"studio:use"}))
    stranger = Principal(subject=str(uuid.uuid4()), permissions=frozenset({"studio:use"}))
    reader = Principal(subject=str(uuid.uuid4()), permissions=frozenset({"studio:use", "studio:read:any"}))
    assert can_read(user, owner) and can_write(user, owner)
    assert not can_read(stranger, owner) and not can_write(stranger, owner)
    assert can_read(reader, owner) and not can_write(reader, owner)
    assert scope_owner(stranger, owner) == stranger.user_id
    assert scope_owner(reader, None) is None


def test_asset_metadata_is_checked_like_any_text() -> None:
    assert asset_metadata({"Sce\u0300ne": " one ", "final": True}) == {"Scène": "one", "final": True}
    with pytest.raises(InvalidInputError):
        asset_metadata({"bad\x00key": "x"})
    with pytest.raises(InvalidInputError):
        asset_metadata({str(n): "x" for n in range(33)})


def test_offers_come_from_configuration() -> None:
    offers = offers_of(StripeSettings(plans=["pro:price_1:500"], packs=["starter:price_2:100"]))
    assert (offers["pro"].kind, offers["pro"].credits) == (OfferKind.PLAN, 500)
    assert (offers["starter"].kind, offers["starter"].price_id) == (OfferKind.PACK, "price_2")
    with pytest.raises(SystemExit):
        offers_of(StripeSettings(packs=["broken"]))
