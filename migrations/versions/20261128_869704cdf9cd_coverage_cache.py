"""Coverage cache: a university's figures for a day, invalidated by triggers on every
change to units, assignments, certificates, staffing rules and programs.

Revision ID: 869704cdf9cd
Revises: 9c8032f85054
Create Date: 2026-11-28 14:37:26.067046

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '869704cdf9cd'
down_revision = '9c8032f85054'
branch_labels = None
depends_on = None

BUMP = "UPDATE coverage_cache SET version = version + 1"
#: the universities a changed row lies under. SQLite: from the row NEW or OLD ({r});
#: PostgreSQL: from a statement's transition table ({t})
ROW_UNDER = {
    "unit": "SELECT {r}.university_id",
    "assignment": "SELECT university_id FROM unit WHERE id = {r}.unit_id",
    "certificate": "SELECT u.university_id FROM assignment a JOIN unit u ON u.id = a.unit_id "
                   "WHERE a.person_id = {r}.person_id",
}
TABLE_UNDER = {
    "unit": "SELECT t.university_id FROM {t} t",
    "assignment": "SELECT u.university_id FROM {t} t JOIN unit u ON u.id = t.unit_id",
    "certificate": "SELECT u.university_id FROM {t} t JOIN assignment a ON a.person_id = t.person_id "
                   "JOIN unit u ON u.id = a.unit_id",
}
#: changes to these touch every university's figures
EVERYWHERE = ("staffing_rule", "program")
EVENTS = (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",)))
#: every university has its cache row from its creation on, so no change can go unseen
NEW_ROW = "INSERT INTO coverage_cache (unit_id, version) {ids}"


def sqlite_triggers():
    for table, under in ROW_UNDER.items():
        for event, rows in EVENTS:
            ids = " UNION ".join(under.format(r=r) for r in rows)
            yield (f"CREATE TRIGGER coverage_{table}_{event} AFTER {event.upper()} ON {table} "
                   f"BEGIN {BUMP} WHERE unit_id IN ({ids}); END")
    for table in EVERYWHERE:
        for event, _rows in EVENTS:
            yield (f"CREATE TRIGGER coverage_{table}_{event} AFTER {event.upper()} ON {table} "
                   f"BEGIN {BUMP}; END")
    yield ("CREATE TRIGGER coverage_university_new AFTER INSERT ON unit WHEN NEW.kind = 'university' "
           f"BEGIN {NEW_ROW.format(ids='SELECT NEW.id, 0')}; END")


def postgresql_triggers():
    """Statement-level triggers reading transition tables: one UPDATE per statement,
    however many rows a bulk insert writes (row-level ones would update the same few rows
    thousands of times in one transaction)."""
    for table, under in TABLE_UNDER.items():
        for event, rows in EVENTS:
            name = f"coverage_{table}_{event}"
            tables = [f"{r.lower()}_rows" for r in rows]
            ids = " UNION ".join(under.format(t=t) for t in tables)
            referencing = " ".join(f"{r} TABLE AS {r.lower()}_rows" for r in rows)
            yield (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"{BUMP} WHERE unit_id IN ({ids}); RETURN NULL; END $$")
            yield (f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {referencing} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    for table in EVERYWHERE:
        for event, _rows in EVENTS:
            name = f"coverage_{table}_{event}"
            yield (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"{BUMP}; RETURN NULL; END $$")
            yield (f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    new_rows = NEW_ROW.format(ids="SELECT id, 0 FROM new_rows WHERE kind = 'university'")
    yield ("CREATE FUNCTION coverage_university_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
           f"{new_rows} ON CONFLICT DO NOTHING; RETURN NULL; END $$")
    yield ("CREATE TRIGGER coverage_university_new AFTER INSERT ON unit REFERENCING NEW TABLE AS new_rows "
           "FOR EACH STATEMENT EXECUTE FUNCTION coverage_university_new()")


def trigger_names():
    for table in (*ROW_UNDER, *EVERYWHERE):
        for event, _rows in EVENTS:
            yield table, f"coverage_{table}_{event}"
    yield "unit", "coverage_university_new"


def upgrade():
    op.create_table('coverage_cache',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('snapshot_version', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_coverage_cache_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_coverage_cache'))
    )
    dialect = op.get_bind().dialect.name
    statements = postgresql_triggers() if dialect == "postgresql" else sqlite_triggers()
    for statement in statements:
        op.execute(statement)
    op.execute(NEW_ROW.format(ids="SELECT id, 0 FROM unit WHERE kind = 'university'"))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, name in trigger_names():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for _table, name in trigger_names():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('coverage_cache')
