"""Province units: the education department's unit above its universities (province_id).

Revision ID: 9c8032f85054
Revises: 1e9d3323d6ef
Create Date: 2026-11-28 14:24:53.539120

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c8032f85054'
down_revision = '1e9d3323d6ef'
branch_labels = None
depends_on = None

KINDS_BEFORE = "kind IN ('university', 'college', 'class', 'dorm', 'building')"
KINDS_AFTER = "kind IN ('province', 'university', 'college', 'class', 'dorm', 'building')"


def upgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_unit_province_id'), ['province_id'], unique=False)
        batch_op.drop_constraint(op.f('ck_unit_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_unit_kind'), sa.text(KINDS_AFTER))


def downgrade():
    # universities become roots again; grants and roles held at provinces go with them
    op.execute("UPDATE unit SET parent_id = NULL WHERE parent_id IN "
               "(SELECT id FROM (SELECT id FROM unit WHERE kind = 'province') AS provinces)")
    for table in ('"grant"', "assignment"):
        op.execute(f"DELETE FROM {table} WHERE unit_id IN (SELECT id FROM unit WHERE kind = 'province')")
    op.execute("DELETE FROM unit WHERE kind = 'province'")
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_unit_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_unit_kind'), sa.text(KINDS_BEFORE))
        batch_op.drop_index(batch_op.f('ix_unit_province_id'))
        batch_op.drop_column('province_id')
