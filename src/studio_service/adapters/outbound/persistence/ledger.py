"""The credit ledger in studiodb: every change is one ledger row plus one conditional UPDATE of the account row,
in the caller's transaction, so the account always equals the sum of the ledger and never goes below zero."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qhitz_shared.db import upsert
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from studio_service.adapters.outbound.persistence.models import credit_accounts, credit_ledger
from studio_service.domain.credits import Balance, EntryKind, LedgerEntry

_SETTLEMENTS = [EntryKind.CAPTURE.value, EntryKind.RELEASE.value]


def _entry(row: Any) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        user_id=row.user_id,
        kind=EntryKind(row.kind),
        amount=row.amount,
        balance_after=row.balance_after,
        job_id=row.job_id,
        reference=row.reference,
        note=row.note,
        created_at=row.created_at,
    )


class SqlaCreditLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _change(self, user_id: uuid.UUID, amount: int) -> int | None:
        """available += amount when the result is not negative: the new balance, or None."""
        account = credit_accounts.c
        row = (
            await self._session.execute(
                update(credit_accounts)
                .where(account.user_id == user_id, account.available + amount >= 0)
                .values(available=account.available + amount)
                .returning(account.available)
            )
        ).first()
        return None if row is None else int(row.available)

    async def _append(self, user_id: uuid.UUID, kind: EntryKind, amount: int, balance: int, **values: Any) -> None:
        await self._session.execute(
            insert(credit_ledger).values(
                id=new_id(), user_id=user_id, kind=kind.value, amount=amount, balance_after=balance, **values
            )
        )

    async def hold(self, user_id: uuid.UUID, amount: int, job_id: uuid.UUID) -> bool:
        balance = await self._change(user_id, -amount)
        if balance is None:
            return False
        await self._append(user_id, EntryKind.HOLD, -amount, balance, job_id=job_id)
        return True

    async def settle(self, job_id: uuid.UUID, kind: EntryKind) -> bool:
        held = (
            await self._session.execute(
                select(credit_ledger.c.user_id, credit_ledger.c.amount).where(
                    credit_ledger.c.job_id == job_id, credit_ledger.c.kind == EntryKind.HOLD.value
                )
            )
        ).first()
        if held is None:
            return False
        back = -held.amount if kind == EntryKind.RELEASE else 0
        try:
            async with self._session.begin_nested():
                balance = await self._change(held.user_id, back)
                assert balance is not None  # adding a non-negative amount always fits
                await self._append(held.user_id, kind, back, balance, job_id=job_id)
        except IntegrityError:  # settled already (uq_credit_ledger_job_settlement)
            return False
        return True

    async def grant(
        self, user_id: uuid.UUID, amount: int, kind: EntryKind, *, reference: str | None = None, note: str = ""
    ) -> bool:
        if reference is not None and await self._granted(reference):
            return True
        await self._session.execute(
            upsert(self._session, credit_accounts)
            .values(user_id=user_id, available=0)
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        try:
            async with self._session.begin_nested():
                balance = await self._change(user_id, amount)
                if balance is None:
                    return False
                await self._append(user_id, kind, amount, balance, reference=reference, note=note)
        except IntegrityError:  # the same reference granted concurrently (uq_credit_ledger_reference)
            return True
        return True

    async def _granted(self, reference: str) -> bool:
        found = await self._session.execute(select(credit_ledger.c.id).where(credit_ledger.c.reference == reference))
        return found.first() is not None

    async def balance(self, user_id: uuid.UUID) -> Balance:
        available = (
            await self._session.execute(select(credit_accounts.c.available).where(credit_accounts.c.user_id == user_id))
        ).scalar()
        hold, settlement = credit_ledger.alias("hold"), credit_ledger.alias("settlement")
        settled = exists().where(and_(settlement.c.job_id == hold.c.job_id, settlement.c.kind.in_(_SETTLEMENTS)))
        held = (
            await self._session.execute(
                select(func.coalesce(-func.sum(hold.c.amount), 0)).where(
                    hold.c.user_id == user_id, hold.c.kind == EntryKind.HOLD.value, ~settled
                )
            )
        ).scalar()
        return Balance(user_id=user_id, available=int(available or 0), held=int(held or 0))

    async def history(self, user_id: uuid.UUID, page: PageRequest) -> tuple[list[LedgerEntry], int]:
        where = credit_ledger.c.user_id == user_id
        total = (await self._session.execute(select(func.count()).select_from(credit_ledger).where(where))).scalar()
        rows = await self._session.execute(
            select(credit_ledger)
            .where(where)
            .order_by(credit_ledger.c.created_at.desc(), credit_ledger.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return [_entry(row) for row in rows], int(total or 0)
