"""SqlaStatsQueries: practice statistics with aggregate queries (a fixed number of round trips)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dental_service.adapters.outbound.persistence.appointments import LIVE
from dental_service.adapters.outbound.persistence.models import (
    AppointmentModel,
    DentistModel,
    LedgerEntryModel,
    PatientModel,
    TreatmentModel,
)
from dental_service.domain.billing import ZERO, EntryKind
from dental_service.domain.stats import ChairHours, MonthFigures, PracticeStats, ProcedureCount
from dental_service.domain.treatments import TreatmentStatus

TOP_PROCEDURES = 10


class SqlaStatsQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def practice(self, start: date, end: date, zone_key: str) -> PracticeStats:
        zone = ZoneInfo(zone_key)
        since = datetime.combine(start, time.min, zone).astimezone(UTC)
        until = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
        s = self._session
        active = await s.scalar(select(func.count()).where(PatientModel.active.is_(True))) or 0
        new = await s.scalar(
            select(func.count()).where(PatientModel.created_at >= since, PatientModel.created_at < until)
        )
        in_range = (AppointmentModel.start_at >= since, AppointmentModel.start_at < until)
        by_status = dict(
            (await s.execute(select(AppointmentModel.status, func.count()).where(*in_range).group_by("status"))).all()
        )
        attended = by_status.get("completed", 0) + by_status.get("no_show", 0)
        rate = (Decimal(by_status.get("no_show", 0)) / attended).quantize(Decimal("0.0001")) if attended else Decimal(0)
        completed = (
            TreatmentModel.status == str(TreatmentStatus.COMPLETED),
            TreatmentModel.performed_on >= start,
            TreatmentModel.performed_on <= end,
        )
        production = await s.execute(
            select(TreatmentModel.performed_on, func.sum(TreatmentModel.fee))
            .where(*completed)
            .group_by(TreatmentModel.performed_on)
        )
        collections = await s.execute(
            select(LedgerEntryModel.entry_date, func.sum(LedgerEntryModel.amount))
            .where(
                LedgerEntryModel.kind.in_([str(EntryKind.PAYMENT), str(EntryKind.REFUND)]),
                LedgerEntryModel.entry_date >= start,
                LedgerEntryModel.entry_date <= end,
            )
            .group_by(LedgerEntryModel.entry_date)
        )
        months: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for day, total in production.all():
            months[f"{day:%Y-%m}"][0] += total
        for day, total in collections.all():
            months[f"{day:%Y-%m}"][1] += total
        procedures = await s.execute(
            select(TreatmentModel.procedure_code, TreatmentModel.name, func.count(), func.sum(TreatmentModel.fee))
            .where(*completed)
            .group_by(TreatmentModel.procedure_code, TreatmentModel.name)
            .order_by(func.count().desc(), TreatmentModel.name)
            .limit(TOP_PROCEDURES)
        )
        chair = await s.execute(
            select(
                DentistModel.id,
                DentistModel.first_name,
                DentistModel.last_name,
                func.sum(AppointmentModel.duration_minutes),
            )
            .join(AppointmentModel, AppointmentModel.dentist_id == DentistModel.id)
            .where(*in_range, AppointmentModel.status.in_(LIVE))
            .group_by(DentistModel.id, DentistModel.first_name, DentistModel.last_name)
            .order_by(DentistModel.last_name, DentistModel.first_name)
        )
        return PracticeStats(
            active_patients=active,
            new_patients=new or 0,
            appointments_by_status=by_status,
            no_show_rate=rate,
            months=[MonthFigures(month, *months[month]) for month in sorted(months)],
            top_procedures=[ProcedureCount(code, name, count, fee) for code, name, count, fee in procedures.all()],
            chair_hours=[
                ChairHours(dentist_id, f"{first} {last}", (Decimal(minutes) / 60).quantize(Decimal("0.01")))
                for dentist_id, first, last, minutes in chair.all()
            ],
        )
