"""Content version: one row that triggers bump with every change to modules, module
versions, quizzes and programs, so a process may keep the published catalogue while
it is unchanged (services/content_catalogue.py).

Revision ID: c41d2e8f6a70
Revises: a3c5e7f90b12
Create Date: 2026-11-28 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41d2e8f6a70'
down_revision = 'a3c5e7f90b12'
branch_labels = None
depends_on = None

BUMP = "UPDATE content_version SET version = version + 1"
#: the tables the catalogue reads
TABLES = ("module", "module_version", "quiz", "program")
EVENTS = ("insert", "update", "delete")
#: a random positive 52-bit epoch, so two databases never share (epoch, version)
EPOCH = {"sqlite": "random() & 4503599627370495",
         "postgresql": "floor(random() * 4503599627370495)::bigint"}


def sqlite_triggers():
    for table in TABLES:
        for event in EVENTS:
            yield (f"CREATE TRIGGER content_{table}_{event} AFTER {event.upper()} ON {table} "
                   f"BEGIN {BUMP}; END")


def postgresql_triggers():
    """Row triggers deferred to the commit, so a long content sync holds the one version row
    only while it commits (a bump at the first write would lock it for the whole
    transaction, and two writers of the same rows in another order would deadlock on it);
    TRUNCATE, which constraint triggers cannot watch, by a statement trigger."""
    yield ("CREATE FUNCTION content_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
           f"{BUMP}; RETURN NULL; END $$")
    for table in TABLES:
        yield (f"CREATE CONSTRAINT TRIGGER content_{table}_changed AFTER INSERT OR UPDATE OR DELETE "
               f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
               "EXECUTE FUNCTION content_version_bump()")
        yield (f"CREATE TRIGGER content_{table}_truncated AFTER TRUNCATE ON {table} "
               "FOR EACH STATEMENT EXECUTE FUNCTION content_version_bump()")


def upgrade():
    op.create_table('content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('epoch', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version'))
    )
    dialect = op.get_bind().dialect.name
    op.execute(f"INSERT INTO content_version (id, epoch, version) VALUES (1, {EPOCH[dialect]}, 0)")
    statements = postgresql_triggers() if dialect == "postgresql" else sqlite_triggers()
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS content_{table}_changed ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS content_{table}_truncated ON {table}")
        op.execute("DROP FUNCTION IF EXISTS content_version_bump()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS content_{table}_{event}")
    op.drop_table('content_version')
