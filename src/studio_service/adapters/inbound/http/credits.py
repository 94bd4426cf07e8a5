"""/api/v1/credits: balance, history, admin adjustments."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter

from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission, require_user
from studio_service.adapters.inbound.http.dto import AdjustmentIn, BalanceOut, LedgerEntryOut
from studio_service.adapters.inbound.http.strict import refuse_unknown_query
from studio_service.domain.permissions import CREDITS_ADJUST
from studio_service.services.credits import CreditService

OtherUser = Annotated[uuid.UUID | None, QueryParameter(description="another user (studio:read:any)")]


class CreditsController(Controller):
    path = "/api/v1/credits"
    before_request = refuse_unknown_query
    tags = ["credits"]

    @get("/balance", guards=[require_user], summary="Available and held credits", responses=problems(403))
    async def balance(
        self, principal: Caller, service: FromDishka[CreditService], user_id: OtherUser = None
    ) -> BalanceOut:
        return BalanceOut.of(await service.balance(principal, user_id))

    @get("/history", guards=[require_user], summary="The ledger, newest first", responses=problems(403))
    async def history(
        self,
        principal: Caller,
        service: FromDishka[CreditService],
        page_request: Paging,
        user_id: OtherUser = None,
    ) -> Page[LedgerEntryOut]:
        items, total = await service.history(principal, page_request, user_id)
        return page_of([LedgerEntryOut.of(item) for item in items], total, page_request)

    @post(
        "/adjustments",
        guards=[require_permission(CREDITS_ADJUST)],
        summary="Grant (promotion) or correct (adjustment, +/-) a user's credits",
        responses=problems(402, 422),
    )
    async def adjust(
        self, data: JSONBody[AdjustmentIn], principal: Caller, service: FromDishka[CreditService]
    ) -> BalanceOut:
        return BalanceOut.of(await service.adjust(principal, data.user_id, data.amount, data.kind, data.note))
