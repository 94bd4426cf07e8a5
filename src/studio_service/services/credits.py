"""Balances, history and admin adjustments of the credit ledger."""

from __future__ import annotations

import uuid

from qhitz_shared.errors import InvalidInputError, PermissionDeniedError
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal, user_of
from qhitz_shared.text import clean_text
from studio_service.domain.credits import Balance, EntryKind, LedgerEntry
from studio_service.domain.errors import InsufficientCredits
from studio_service.domain.permissions import CREDITS_ADJUST, STUDIO_READ_ANY, STUDIO_USE
from studio_service.ports.repositories import CreditLedger

MAX_NOTE = 500


def _whose(actor: Principal, user_id: uuid.UUID | None) -> uuid.UUID:
    actor = user_of(actor)
    if user_id is None or user_id == actor.user_id:
        if not actor.has(STUDIO_USE):
            raise PermissionDeniedError("Requires the permission studio:use", required=[STUDIO_USE])
        return actor.user_id
    if not actor.has(STUDIO_READ_ANY):
        raise PermissionDeniedError("Requires the permission studio:read:any", required=[STUDIO_READ_ANY])
    return user_id


class CreditService:
    def __init__(self, ledger: CreditLedger, uow: UnitOfWork) -> None:
        self._ledger = ledger
        self._uow = uow

    async def balance(self, actor: Principal, user_id: uuid.UUID | None = None) -> Balance:
        return await self._ledger.balance(_whose(actor, user_id))

    async def history(
        self, actor: Principal, page: PageRequest, user_id: uuid.UUID | None = None
    ) -> tuple[list[LedgerEntry], int]:
        return await self._ledger.history(_whose(actor, user_id), page)

    async def adjust(self, actor: Principal, user_id: uuid.UUID, amount: int, kind: EntryKind, note: str) -> Balance:
        """An admin's grant (promotion, +) or correction (adjustment, + or -): never below zero (402)."""
        actor = user_of(actor)
        if not actor.has(CREDITS_ADJUST):
            raise PermissionDeniedError("Requires the permission credits:adjust", required=[CREDITS_ADJUST])
        if kind not in (EntryKind.PROMOTION, EntryKind.ADJUSTMENT) or amount == 0:
            raise InvalidInputError("kind is promotion or adjustment, amount not 0", field="amount")
        if kind == EntryKind.PROMOTION and amount < 0:
            raise InvalidInputError("a promotion grants a positive amount", field="amount")
        note = clean_text(note, field="note", max_length=MAX_NOTE, multiline=True)
        if not await self._ledger.grant(user_id, amount, kind, note=note or f"by {actor.user_id}"):
            raise InsufficientCredits("The adjustment would make the balance negative")
        await self._uow.commit()
        return await self._ledger.balance(user_id)
