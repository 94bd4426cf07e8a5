"""Dental practice: patients, the clinical access log, dentists, appointments, treatments, the billing ledger.

On PostgreSQL two exclusion constraints (btree_gist) keep a dentist's, and a patient's, live appointments from
overlapping; on both databases triggers make the access log and the ledger append-only.

Revision ID: 0001
Revises:
Create Date: 2026-11-30 06:40:23.791394
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

from dental_service.adapters.outbound.persistence.models import (
    NO_OVERLAP_DENTIST,
    NO_OVERLAP_PATIENT,
    Money,
)

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("clinical_access_log", "ledger_entries")


def upgrade() -> None:
    op.create_table('dentists',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('specialization', sa.String(length=200), nullable=True),
    sa.Column('license_number', sa.String(length=40), nullable=False),
    sa.Column('user_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('working_hours', sa.JSON(), nullable=False),
    sa.Column('appointment_types', sa.JSON(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dentists')),
    sa.UniqueConstraint('license_number', name=op.f('uq_dentists_license_number')),
    sa.UniqueConstraint('user_id', name=op.f('uq_dentists_user_id'))
    )
    op.create_table('patients',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('emergency_contact_name', sa.String(length=200), nullable=True),
    sa.Column('emergency_contact_phone', sa.String(length=32), nullable=True),
    sa.Column('insurance_provider', sa.String(length=200), nullable=True),
    sa.Column('insurance_member_id', sa.String(length=200), nullable=True),
    sa.Column('allergies', sa.Text(), nullable=True),
    sa.Column('medical_notes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patients'))
    )
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patients_email'), ['email'], unique=False)
        batch_op.create_index('ix_patients_name', ['last_name', 'first_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_patients_phone'), ['phone'], unique=False)

    op.create_table('appointments',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('patient_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('dentist_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('start_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('end_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dentist_id'], ['dentists.id'], name=op.f('fk_appointments_dentist_id_dentists')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_appointments_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_dentist_start', ['dentist_id', 'start_at'], unique=False)
        batch_op.create_index('ix_appointments_patient_start', ['patient_id', 'start_at'], unique=False)
        batch_op.create_index('ix_appointments_start', ['start_at'], unique=False)

    op.create_table('clinical_access_log',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('patient_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('fields', sa.String(length=255), nullable=False),
    sa.Column('at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_clinical_access_log_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinical_access_log'))
    )
    with op.batch_alter_table('clinical_access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinical_access_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clinical_access_log_patient_id'), ['patient_id'], unique=False)

    op.create_table('treatments',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('patient_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('appointment_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('procedure_code', sa.String(length=5), nullable=True),
    sa.Column('tooth', sa.String(length=2), nullable=True),
    sa.Column('surfaces', sa.String(length=7), nullable=True),
    sa.Column('performed_on', sa.Date(), nullable=False),
    sa.Column('fee', Money(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_treatments_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_treatments_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatments'))
    )
    with op.batch_alter_table('treatments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatments_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_treatments_performed_on'), ['performed_on'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('patient_id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('treatment_id', advanced_alchemy.types.guid.GUID(length=16), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', Money(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('recorded_by', sa.String(length=255), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_ledger_entries_patient_id_patients')),
    sa.ForeignKeyConstraint(['treatment_id'], ['treatments.id'], name=op.f('fk_ledger_entries_treatment_id_treatments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_entry_date'), ['entry_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_treatment_id'), ['treatment_id'], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        live = sa.text("status NOT IN ('cancelled', 'no_show')")
        during = (sa.func.tstzrange(sa.column("start_at"), sa.column("end_at"), "[)"), "&&")
        op.create_exclude_constraint(
            NO_OVERLAP_DENTIST, "appointments", ("dentist_id", "="), during, using="gist", where=live
        )
        op.create_exclude_constraint(
            NO_OVERLAP_PATIENT, "appointments", ("patient_id", "="), during, using="gist", where=live
        )
        op.execute(
            """
            CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            )
    else:
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION refuse_change()")
    else:
        for table in APPEND_ONLY:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{event}")
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_treatment_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_patient_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_entry_date'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('treatments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatments_performed_on'))
        batch_op.drop_index(batch_op.f('ix_treatments_patient_id'))

    op.drop_table('treatments')
    with op.batch_alter_table('clinical_access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinical_access_log_patient_id'))
        batch_op.drop_index(batch_op.f('ix_clinical_access_log_at'))

    op.drop_table('clinical_access_log')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_start')
        batch_op.drop_index('ix_appointments_patient_start')
        batch_op.drop_index('ix_appointments_dentist_start')

    op.drop_table('appointments')
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patients_phone'))
        batch_op.drop_index('ix_patients_name')
        batch_op.drop_index(batch_op.f('ix_patients_email'))

    op.drop_table('patients')
    op.drop_table('dentists')
