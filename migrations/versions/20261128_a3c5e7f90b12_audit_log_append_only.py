"""The audit log is append-only: the database refuses to update or delete its rows, so
neither the app nor a stray script can rewrite who did what.

Revision ID: a3c5e7f90b12
Revises: 869704cdf9cd
Create Date: 2026-11-28 17:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3c5e7f90b12'
down_revision = '869704cdf9cd'
branch_labels = None
depends_on = None

MESSAGE = "audit_event is append-only"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION audit_event_append_only() RETURNS trigger
                       LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""")
        op.execute("""CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
                      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""")
        # row triggers do not fire on TRUNCATE
        op.execute("""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
                      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""")
        return
    for event in ("update", "delete"):
        op.execute(f"""CREATE TRIGGER audit_event_no_{event} BEFORE {event.upper()} ON audit_event
                       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_event_no_{event}")
