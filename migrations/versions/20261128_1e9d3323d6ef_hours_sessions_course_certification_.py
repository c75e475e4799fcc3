"""Hour ledger review and evidence, training sessions and attendance, course delivery,
certification programs, certificates, qualifications, expiry notices.

Revision ID: 1e9d3323d6ef
Revises: 05f87c8385e6
Create Date: 2026-11-28 13:40:25.127340

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1e9d3323d6ef'
down_revision = '05f87c8385e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('requires', sa.JSON(), nullable=False),
    sa.Column('renewal', sa.JSON(), nullable=True),
    sa.Column('hours_window_months', sa.Integer(), nullable=False),
    sa.Column('valid_months', sa.Integer(), nullable=False),
    sa.Column('renew_window_days', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('source', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('valid_months > 0', name=op.f('ck_program_valid_months')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program')),
    sa.UniqueConstraint('code', name=op.f('uq_program_code'))
    )
    op.create_table('qualification_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualification_type')),
    sa.UniqueConstraint('code', name=op.f('uq_qualification_type_code'))
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('issued', sa.Date(), nullable=False),
    sa.Column('expires', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('renews_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('expires > issued', name=op.f('ck_certificate_period')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_certificate_person_id_person')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_certificate_program_id_program')),
    sa.ForeignKeyConstraint(['renews_id'], ['certificate.id'], name=op.f('fk_certificate_renews_id_certificate')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_certificate_revoked_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('person_id', 'program_id', 'issued', name=op.f('uq_certificate_person_id'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_expires'), ['expires'], unique=False)
        batch_op.create_index('ix_certificate_person_program_expires', ['person_id', 'program_id', 'expires'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_program_id'), ['program_id'], unique=False)

    op.create_table('course_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_course_delivery_hours')),
    sa.ForeignKeyConstraint(['class_id'], ['unit.id'], name=op.f('fk_course_delivery_class_id_unit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_course_delivery_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['teacher_id'], ['person.id'], name=op.f('fk_course_delivery_teacher_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_delivery'))
    )
    with op.batch_alter_table('course_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_course_delivery_class_date', ['class_id', 'date'], unique=False)

    op.create_table('evidence_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_evidence_file_person_id_person')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_evidence_file_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_file_stored_name'))
    )
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_file_person_id'), ['person_id'], unique=False)

    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('activity', sa.String(length=32), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('checkin_secret', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_session_window')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_training_session_hours')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_training_session_created_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_training_session_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_unit_id'), ['unit_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=True),
    sa.Column('present_at', sa.DateTime(), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_attendance_marked_by_id_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_attendance_session_id_training_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_attendance_session_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_person_id'), ['person_id'], unique=False)

    op.create_table('expiry_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('mail_status', sa.String(length=16), nullable=False),
    sa.Column('mail_attempts', sa.Integer(), nullable=False),
    sa.Column('mail_error', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('dismissed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_expiry_notice_certificate_id_certificate')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_expiry_notice_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expiry_notice')),
    sa.UniqueConstraint('certificate_id', 'threshold', name=op.f('uq_expiry_notice_certificate_id'))
    )
    with op.batch_alter_table('expiry_notice', schema=None) as batch_op:
        batch_op.create_index('ix_expiry_notice_mail_status', ['mail_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_expiry_notice_person_id'), ['person_id'], unique=False)

    op.create_table('qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'verified', 'rejected')", name=op.f('ck_qualification_status')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence_file.id'], name=op.f('fk_qualification_evidence_id_evidence_file')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_qualification_person_id_person')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_qualification_reviewed_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualification'))
    )
    with op.batch_alter_table('qualification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qualification_person_id'), ['person_id'], unique=False)

    op.create_table('digest_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['expiry_notice.id'], name=op.f('fk_digest_item_notice_id_expiry_notice')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_digest_item_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_item')),
    sa.UniqueConstraint('user_id', 'notice_id', name=op.f('uq_digest_item_user_id'))
    )
    with op.batch_alter_table('digest_item', schema=None) as batch_op:
        batch_op.create_index('ix_digest_item_user_sent', ['user_id', 'sent_at'], unique=False)

    with op.batch_alter_table('hour_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index('ix_hour_entry_status_date', ['status', 'date'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_hour_entry_evidence_id_evidence_file'), 'evidence_file', ['evidence_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_hour_entry_reviewed_by_id_user'), 'user', ['reviewed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_hour_entry_created_by_id_user'), 'user', ['created_by_id'], ['id'])

    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('annual_hours', sa.Double(), nullable=True))



def downgrade():
    with op.batch_alter_table('role', schema=None) as batch_op:
        batch_op.drop_column('annual_hours')

    with op.batch_alter_table('hour_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_hour_entry_created_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_hour_entry_reviewed_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_hour_entry_evidence_id_evidence_file'), type_='foreignkey')
        batch_op.drop_index('ix_hour_entry_status_date')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('evidence_id')

    with op.batch_alter_table('digest_item', schema=None) as batch_op:
        batch_op.drop_index('ix_digest_item_user_sent')

    op.drop_table('digest_item')
    with op.batch_alter_table('qualification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qualification_person_id'))

    op.drop_table('qualification')
    with op.batch_alter_table('expiry_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expiry_notice_person_id'))
        batch_op.drop_index('ix_expiry_notice_mail_status')

    op.drop_table('expiry_notice')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_person_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_unit_id'))
        batch_op.drop_index(batch_op.f('ix_training_session_starts_at'))

    op.drop_table('training_session')
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_file_person_id'))

    op.drop_table('evidence_file')
    with op.batch_alter_table('course_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_course_delivery_class_date')

    op.drop_table('course_delivery')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_program_id'))
        batch_op.drop_index('ix_certificate_person_program_expires')
        batch_op.drop_index(batch_op.f('ix_certificate_expires'))

    op.drop_table('certificate')
    op.drop_table('qualification_type')
    op.drop_table('program')
