"""At most one open assignment per person, role and unit (a partial unique index).

Revision ID: 35f4eeb3492c
Revises: 55566d5c4f03
Create Date: 2026-11-28 11:44:23.611943

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '35f4eeb3492c'
down_revision = '55566d5c4f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index('uq_assignment_open', ['person_id', 'role_id', 'unit_id'], unique=True, sqlite_where=sa.text('"end" IS NULL'), postgresql_where=sa.text('"end" IS NULL'))



def downgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_assignment_open', sqlite_where=sa.text('"end" IS NULL'), postgresql_where=sa.text('"end" IS NULL'))

