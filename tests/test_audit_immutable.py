"""The database itself refuses to change or delete audit rows (a trigger on each engine),
so not even a bug or a hand-typed SQL statement can rewrite history."""
import pytest
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.exc import DatabaseError

from extensions import db
from models import AuditEvent
from services import audit


@pytest.fixture
def event(app):
    row = audit.record("auth.login", target=("user", "1"), ip="10.0.0.1")
    db.session.commit()
    return row.id


@pytest.mark.parametrize("statement", [
    lambda id_: update(AuditEvent).where(AuditEvent.id == id_).values(action="auth.logout"),
    lambda id_: update(AuditEvent).values(ip=None),
    lambda id_: delete(AuditEvent).where(AuditEvent.id == id_),
    lambda id_: delete(AuditEvent),
], ids=["update-one", "update-all", "delete-one", "delete-all"])
def test_the_database_refuses_to_change_audit_rows(event, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(statement(event))
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.id == event)) == \
        "auth.login"


@pytest.mark.postgresql
def test_postgresql_refuses_to_truncate_the_log(event):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_event"))
    db.session.rollback()
    assert db.session.get(AuditEvent, event) is not None


def test_the_orm_cannot_delete_one_either(event):
    db.session.delete(db.session.get(AuditEvent, event))
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event) is not None


def test_appending_still_works(event):
    audit.record("auth.login_failed", ip="10.0.0.2")
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM audit_event")) == 2
