"""A database that is briefly locked (SQLite) or restarted (PostgreSQL) answers a clear 503
with Retry-After — a page or JSON, never a 500 — writes nothing, and the next request works."""
import sqlite3
from datetime import date
from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from extensions import db
from models import Attempt
from models import HourEntry
from services import accounts
from services import audit
from tests.test_attempts import make_quiz

MESSAGE = "The database is busy or restarting. Please try again in a few seconds."
DAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def learner(make_unit, make_person, make_user):
    """A dorm informant whose pages are in Chinese (the default)."""
    person = make_person("S001", name="李同学", role="dorm_informant", unit=make_unit("D1"))
    return make_user("s001@example.edu.cn", person=person)


def shown_message(app) -> str:
    """The 503 message as a Chinese page shows it."""
    with app.test_request_context(), force_locale("zh_CN"):
        return gettext(MESSAGE)


def log_an_hour(auth):
    return auth.post("/hours", data={"date": DAY, "hours": "1", "activity": "workshop",
                                     "description": "危机干预督导"})


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert 0 < int(response.headers["Retry-After"]) <= 5  # the rate limiter may round it down


@pytest.fixture
def short_busy_timeout(app):
    """The app waits 0.2 s, not 10 s, for a lock (every connection, as it is checked out)."""
    def shorten(dbapi_connection, record, proxy):
        dbapi_connection.execute("PRAGMA busy_timeout=200")

    event.listen(db.engine, "checkout", shorten)
    yield
    event.remove(db.engine, "checkout", shorten)
    db.engine.dispose()  # the next connections get the usual timeout


@pytest.fixture
def holder(database, short_busy_timeout):
    """Another connection to the SQLite file, to hold BEGIN EXCLUSIVE while the app works."""
    holder = sqlite3.connect(database.removeprefix("sqlite:///"), isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.sqlite
def test_a_locked_database_answers_503_and_writes_nothing(app, client, auth, learner, holder):
    make_quiz()
    auth.login("s001@example.edu.cn")
    holder.execute("BEGIN EXCLUSIVE")
    response = log_an_hour(auth)
    assert_unavailable(response)
    assert shown_message(app) in response.get_data(as_text=True)
    assert_unavailable(auth.post("/quizzes/basics/start"))
    assert client.get("/hours").status_code == 200, "reading goes on (WAL) while writes wait"

    holder.execute("COMMIT")
    assert (count(HourEntry), count(Attempt)) == (0, 0)
    assert log_an_hour(auth).headers["Location"] == "/hours"
    assert auth.post("/quizzes/basics/start").status_code == 302
    assert (count(HourEntry), count(Attempt)) == (1, 1)


@pytest.mark.sqlite
def test_the_api_answers_503_as_json_while_locked(app, client, learner, holder):
    token = accounts.create_token(learner)  # never used yet: its first use is recorded
    db.session.commit()
    holder.execute("BEGIN EXCLUSIVE")
    response = client.get("/api/v1/people/S001/transcript",
                          headers={"Authorization": f"Bearer {token}"})
    assert_unavailable(response)
    assert response.json["error"]["code"] == "database_unavailable"
    holder.execute("COMMIT")
    response = client.get("/api/v1/people/S001/transcript",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.fixture
def admin_engine(database):
    """A separate connection to end the app's backends, as a server restart would."""
    engine = create_engine(database)
    yield engine
    engine.dispose()


def terminate(engine, pid: int | None = None) -> int:
    """End the app's backends (or one); how many were ended."""
    with engine.begin() as conn:
        return conn.scalar(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND (CAST(:pid AS integer) IS NULL OR pid = :pid)"), {"pid": pid})


@pytest.mark.postgresql
def test_after_a_restart_the_next_request_works(client, auth, learner, admin_engine):
    auth.login("s001@example.edu.cn")
    assert client.get("/hours").status_code == 200
    db.session.commit()
    assert terminate(admin_engine) >= 1
    assert client.get("/hours").status_code == 200, "pool_pre_ping replaced the dead connections"
    assert log_an_hour(auth).headers["Location"] == "/hours"
    assert count(HourEntry) == 1


@pytest.mark.postgresql
def test_a_connection_lost_mid_request_answers_503_and_writes_nothing(
        app, client, auth, learner, admin_engine, monkeypatch):
    auth.login("s001@example.edu.cn")
    real = audit.record

    def restart_then_record(*args, **kwargs):  # the entry is written, its audit not yet
        assert db.session.scalar(select(func.count(HourEntry.id))) == 1
        terminate(admin_engine, db.session.scalar(text("SELECT pg_backend_pid()")))
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "record", restart_then_record)
    response = log_an_hour(auth)
    assert_unavailable(response)
    assert shown_message(app) in response.get_data(as_text=True)
    assert count(HourEntry) == 0, "the half-done transaction was rolled back"

    monkeypatch.setattr(audit, "record", real)
    assert log_an_hour(auth).headers["Location"] == "/hours"
    assert count(HourEntry) == 1


def test_the_pool_checks_connections_before_use(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert db.engine.pool._pre_ping is True


@pytest.mark.sqlite
@pytest.mark.parametrize("statement", ["SELEC 1", "SELECT * FROM no_such_table"])
def test_a_broken_query_is_a_bug_not_a_busy_database(app, statement):
    """SQLite reports these as OperationalError too: they must stay errors, not a 503."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from blueprints.errors import is_transient

    with pytest.raises(OperationalError) as caught:
        db.session.execute(text(statement))
    db.session.rollback()
    assert not is_transient(caught.value)
