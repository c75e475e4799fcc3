"""Fixtures: the app on a migrated database, a client, the CLI runner, sign-in through
the real form, and factories that return callables with sensible defaults.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""
import os
import re
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from config import TestConfig
from config import normalise_database_url
from extensions import db
from extensions import limiter
from models import Module
from models import Role
from services import accounts
from services import units as unit_service
from tests.audit_log import clear_audit_log

#: the real SMTP server fixture `smtp_server` (aiosmtpd) for the mail tests
pytest_plugins = ["tests.smtp_server"]

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PASSWORD = "correct-horse-42"


def database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_dir / 'test.db'}"


def pytest_collection_modifyitems(config, items):
    """Run tests marked `sqlite` or `postgresql` only in the pass on that database.

    They are deselected, not skipped, in the other pass: `make test` runs both.
    """
    dialect = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[dialect]
    kept = [item for item in items if item.get_closest_marker(other) is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> str:
    url = database_url(tmp_path_factory.mktemp("db"))
    if url.startswith("postgresql"):
        reset_postgres(url)
    return url


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The tests hold an app context open; without this, requests would share its `g`
    (and so a stale CSRF token) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def compile_catalogues() -> None:
    """Compile each translations/*/messages.po whose .mo is missing or older, as `make
    translations` would, so pytest run straight after editing a catalogue sees the edit."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog, use_fuzzy=True)


@pytest.fixture(scope="session")
def _app(database, tmp_path_factory):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database
        UPLOAD_DIR = str(tmp_path_factory.mktemp("uploads"))

    compile_catalogues()
    os.environ["LANG"] = "C.UTF-8"  # tests read the CLI in English; it speaks Chinese under zh_*
    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def empty_tables() -> None:
    # module ⇄ module_version point at each other: cut the module's pointer first
    db.session.execute(db.update(Module).values(current_version_id=None))
    clear_audit_log()  # append-only: its triggers refuse DELETE
    for table in reversed(db.metadata.sorted_tables):
        # the content version only ever grows: a process's catalogue snapshot is keyed on it
        if table.name not in ("audit_event", "content_version"):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    with _app.app_context():
        yield _app
        db.session.rollback()
        empty_tables()
        db.session.remove()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class AuthActions:
    """Sign in and out through the real pages, as a person would."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        return csrf_token_from(self.client.get(path, follow_redirects=True).get_data(as_text=True))

    def login(self, username: str, password: str = PASSWORD):
        token = self.csrf_token("/login")
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": token})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.csrf_token("/")})

    def post(self, path: str, data: dict | None = None, **kwargs):
        """POST a form with a valid CSRF token, as the page would."""
        data = dict(data or {}, csrf_token=self.csrf_token("/"))
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def roles(app):
    """The shipped role catalogue and staffing rules, loaded as `content sync` would."""
    from services.content import sync_directory

    sync_directory(CONTENT, only=("roles.yaml", "staffing.yaml"))
    db.session.commit()
    return {r.code: r for r in db.session.scalars(db.select(Role))}


@pytest.fixture
def make_unit(app):
    """make_unit(code, kind="university", parent=None, students=None, name=None)."""

    def make(code, kind="university", parent=None, students=None, name=None):
        unit = unit_service.create_unit(code, name or f"单位{code}", kind, parent, students)
        db.session.commit()
        return unit

    return make


@pytest.fixture
def make_person(app, roles):
    """make_person(number, name=…, role=None, unit=None, start=…, end=None, email=None)."""
    from models import Assignment
    from models import Person

    def make(number, name=None, role=None, unit=None, start=date(2026, 9, 1), end=None,
             email=None):
        person = db.session.scalar(db.select(Person).where(Person.number == number))
        if person is None:
            person = Person(number=number, name=name or f"人员{number}", email=email)
            db.session.add(person)
        if role is not None:
            db.session.add(Assignment(person=person, role=roles[role], unit=unit,
                                      start=start, end=end))
        db.session.commit()
        return person

    return make


@pytest.fixture
def make_user(app):
    """make_user(email, grant=None | ("admin", "C1") | ("superadmin", None), person=None)."""

    def make(email, grant=None, person=None, name=None, password=PASSWORD, **fields):
        user = accounts.create_user(email, name or email.split("@")[0], password,
                                    person_number=person.number if person else None,
                                    grant=grant)
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return make

