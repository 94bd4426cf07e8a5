"""/api/v1/dental/patients/{id}/ledger and /balance: the append-only ledger and what it derives."""

from __future__ import annotations

import uuid
from decimal import Decimal

from dishka import FromDishka
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from dental_service.adapters.inbound.http.dto_billing import BalanceOut, EntryIn, EntryOut
from dental_service.domain.billing import EntryKind
from dental_service.services.billing import BillingService, EntryRequest
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission

READ = require_permission("dental:billing:read")
WRITE = require_permission("dental:billing:write")


class BillingController(Controller):
    path = "/api/v1/dental/patients/{patient_id:uuid}"
    tags = ["dental: billing"]

    @get("/ledger", guards=[READ], summary="The patient's ledger, newest first")
    async def ledger(
        self,
        patient_id: FromPath[uuid.UUID],
        billing: FromDishka[BillingService],
        page_request: Paging,
        kind: FromQuery[EntryKind | None] = None,
    ) -> Page[EntryOut]:
        items, total = await billing.entries(patient_id, kind, page_request)
        return page_of([EntryOut.of(entry) for entry in items], total, page_request)

    @post("/ledger", guards=[WRITE], summary="Append a payment, adjustment or refund", responses=problems(404, 422))
    async def append(
        self,
        patient_id: FromPath[uuid.UUID],
        data: JSONBody[EntryIn],
        principal: Caller,
        billing: FromDishka[BillingService],
    ) -> EntryOut:
        request = EntryRequest(
            data.kind, Decimal(data.amount), data.entry_date, data.method, data.treatment_id, data.reason
        )
        return EntryOut.of(await billing.record(principal.subject, patient_id, request))

    @get("/balance", guards=[READ], summary="Balance and each treatment's payment status, from the ledger")
    async def balance(self, patient_id: FromPath[uuid.UUID], billing: FromDishka[BillingService]) -> BalanceOut:
        return BalanceOut.of(await billing.balance(patient_id))
