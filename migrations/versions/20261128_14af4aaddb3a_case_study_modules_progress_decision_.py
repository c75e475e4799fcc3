"""Case-study modules and their versions, learners' progress and decision answers, the hour ledger.

Revision ID: 14af4aaddb3a
Revises: 35f4eeb3492c
Create Date: 2026-11-28 12:20:33.710348

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14af4aaddb3a'
down_revision = '35f4eeb3492c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module')),
    sa.UniqueConstraint('slug', name=op.f('uq_module_slug'))
    )
    op.create_table('hour_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('activity', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('source_ref', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_hour_entry_status')),
    sa.CheckConstraint('hours > 0', name=op.f('ck_hour_entry_hours')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_hour_entry_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hour_entry')),
    sa.UniqueConstraint('person_id', 'source', 'source_ref', name=op.f('uq_hour_entry_person_id'))
    )
    with op.batch_alter_table('hour_entry', schema=None) as batch_op:
        batch_op.create_index('ix_hour_entry_person_date', ['person_id', 'date'], unique=False)

    op.create_table('module_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('competencies', sa.JSON(), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('requires_recompletion', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_module_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_version_module_id_module')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_version')),
    sa.UniqueConstraint('module_id', 'version', name=op.f('uq_module_version_module_id'))
    )
    with op.batch_alter_table('module_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_version_module_id'), ['module_id'], unique=False)

    op.create_table('decision_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.String(length=100), nullable=False),
    sa.Column('first_choice', sa.Integer(), nullable=False),
    sa.Column('first_correct', sa.Boolean(), nullable=False),
    sa.Column('last_choice', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_version.id'], name=op.f('fk_decision_answer_module_version_id_module_version')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_decision_answer_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_answer')),
    sa.UniqueConstraint('person_id', 'module_version_id', 'decision_id', name=op.f('uq_decision_answer_person_id'))
    )
    with op.batch_alter_table('decision_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_answer_module_version_id'), ['module_version_id'], unique=False)

    op.create_table('progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('module_version_id', sa.Integer(), nullable=False),
    sa.Column('section_reached', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['module_version_id'], ['module_version.id'], name=op.f('fk_progress_module_version_id_module_version')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_progress_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress')),
    sa.UniqueConstraint('person_id', 'module_version_id', name=op.f('uq_progress_person_id'))
    )
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_module_version_id'), ['module_version_id'], unique=False)


    # module ⇄ module_version point at each other: the module's pointer comes last
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_module_current_version_id', 'module_version',
                                    ['current_version_id'], ['id'])


def downgrade():
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.drop_constraint('fk_module_current_version_id', type_='foreignkey')

    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_module_version_id'))

    op.drop_table('progress')
    with op.batch_alter_table('decision_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_answer_module_version_id'))

    op.drop_table('decision_answer')
    with op.batch_alter_table('module_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_version_module_id'))

    op.drop_table('module_version')
    with op.batch_alter_table('hour_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_hour_entry_person_date')

    op.drop_table('hour_entry')
    op.drop_table('module')
