"""Dentists: records, working hours, appointment types; the caller's own dentist record."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace

from dental_service.domain.dentists import Dentist, DentistDetails
from dental_service.domain.errors import DentistNotFound, NotADentist
from dental_service.ports.repositories import DentistRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork


class DentistService:
    def __init__(self, dentists: DentistRepository, uow: UnitOfWork) -> None:
        self._dentists = dentists
        self._uow = uow

    async def add(self, details: DentistDetails, active: bool = True) -> Dentist:
        """LicenseNumberTaken / DentistAccountTaken (409) when another dentist holds either."""
        dentist = Dentist(id=new_id(), details=details.clean(), active=active)
        await self._dentists.add(dentist)
        await self._uow.commit()
        return dentist

    async def get(self, dentist_id: uuid.UUID) -> Dentist:
        dentist = await self._dentists.get(dentist_id)
        if dentist is None:
            raise DentistNotFound(f"No dentist with id {dentist_id}")
        return dentist

    async def of_user(self, user_id: uuid.UUID) -> Dentist:
        """The dentist record linked to ``user_id``'s account, or NotADentist (404)."""
        dentist = await self._dentists.for_user(user_id)
        if dentist is None:
            raise NotADentist()
        return dentist

    async def update(self, dentist_id: uuid.UUID, changes: Mapping[str, object], active: bool | None = None) -> Dentist:
        dentist = await self.get(dentist_id)
        dentist.details = replace(dentist.details, **changes).clean()
        if active is not None:
            dentist.active = active
        await self._dentists.save(dentist)
        await self._uow.commit()
        return dentist

    async def list(self, active_only: bool, page: PageRequest) -> tuple[list[Dentist], int]:
        return await self._dentists.list(active_only, page)
