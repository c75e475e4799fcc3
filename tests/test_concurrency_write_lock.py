"""The two locking rules under the races: lock_for_write holds the write lock until commit
(SQLite: BEGIN IMMEDIATE, the whole database; PostgreSQL: the row), and on SQLite a
savepoint opens the transaction first, so releasing it commits nothing by itself."""
import pytest
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from extensions import db
from models import Person
from services.write_lock import lock_for_write


@pytest.fixture
def other(database):
    """Another connection to the same database, as another request would hold."""
    engine = create_engine(database)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
        yield conn
    engine.dispose()


def can_write(conn, person_id: int) -> bool:
    """Whether `conn` could start writing the person's row without waiting."""
    try:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(text("SELECT id FROM person WHERE id = :id FOR UPDATE NOWAIT"),
                         {"id": person_id})
    except OperationalError:
        conn.rollback()
        return False
    conn.rollback()
    return True


def test_lock_for_write_holds_until_commit(app, make_person, other):
    person = make_person("S001")
    assert can_write(other, person.id)
    lock_for_write(Person, person.id)
    assert not can_write(other, person.id), "a second writer has to wait"
    db.session.commit()
    assert can_write(other, person.id)


def test_a_released_savepoint_commits_nothing_by_itself(app, other):
    with db.session.begin_nested():
        db.session.add(Person(number="S001", name="李同学"))
    assert other.scalar(select(func.count(Person.id))) == 0
    db.session.rollback()
    assert db.session.scalar(select(func.count(Person.id))) == 0
    assert other.scalar(select(func.count(Person.id))) == 0
