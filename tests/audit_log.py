"""Emptying the append-only audit log between tests, past the triggers that guard it."""
from sqlalchemy import text

from extensions import db


def clear_audit_log() -> None:
    """Delete every audit row past the guarding triggers: on PostgreSQL switch them off
    around a TRUNCATE, on SQLite drop them, delete, and put the same triggers back."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        db.session.execute(text("TRUNCATE audit_event"))
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        return
    triggers = db.session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
    )).all()
    for name, _sql in triggers:
        db.session.execute(text(f'DROP TRIGGER "{name}"'))
    db.session.execute(text("DELETE FROM audit_event"))
    for _name, sql in triggers:
        db.session.execute(text(sql))
