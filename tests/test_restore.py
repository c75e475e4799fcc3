"""A backup taken while someone writes restores into an app that serves the same data
(`flask db backup` then `flask db restore`), and a restore never runs over data unasked."""
import shutil
import sqlite3
import threading
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import create_app
from config import TestConfig
from extensions import db
from models import ContentVersion
from models import Person
from services import accounts
from services.errors import DomainError
from services.restore import restore_postgres

#: what the writer thread adds while the backup runs
PREFIX = "W"


def counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def written_numbers() -> list[int]:
    numbers = db.session.scalars(select(Person.number).where(Person.number.startswith(PREFIX)))
    return sorted(int(number[len(PREFIX):]) for number in numbers)


class Writer(threading.Thread):
    """Adds people one commit at a time until stopped, as a busy app server would."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.stop, self.written, self.started_writing = app, threading.Event(), 0, threading.Event()

    def run(self):
        with self.app.app_context():
            while not self.stop.is_set():
                db.session.add(Person(number=f"{PREFIX}{self.written + 1:06d}", name="写入者"))
                db.session.commit()
                self.written += 1
                if self.written >= 5:
                    self.started_writing.set()
            db.session.remove()


@dataclass
class Taken:
    """What the original app held and served around the backup."""

    token: str
    served: dict  #: the unit as the API served it before the backup
    live: dict[str, int]  #: rows per table once the writer stopped
    before: int  #: people the writer had added when the backup began
    written: int  #: … and when it stopped


def back_up_while_writing(app, runner, target) -> Taken:
    """Load the demo, start a writer, back up to `target`, stop the writer."""
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    token = accounts.create_token(accounts.find_login("trainer@demo.edu.cn"), "restore")
    db.session.commit()
    served = app.test_client().get("/api/v1/units/DEMO-U", headers={"Authorization": f"Bearer {token}"})
    assert served.status_code == 200
    writer = Writer(app)
    writer.start()
    try:
        assert writer.started_writing.wait(30)
        before = writer.written
        result = runner.invoke(args=["db", "backup", str(target)])
        assert result.exit_code == 0, result.output + result.stderr
    finally:
        writer.stop.set()
        writer.join(30)
    db.session.expire_all()
    assert written_numbers() == list(range(1, writer.written + 1))
    assert writer.written > before, "the writer kept writing during the backup"
    return Taken(token, served.get_json(), counts(), before, writer.written)


def restored_app(url: str):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def restore(restored, backup, *options):
    """`flask db restore` on the restored app (its own context: the test's app has one open)."""
    with restored.app_context():
        return restored.test_cli_runner().invoke(args=["db", "restore", *options, str(backup)])


def check_restored(restored, backup, taken: Taken) -> None:
    """The restored app answers as the original did and holds one snapshot: every other
    table as it was, the writer's people a gap-free run at least as long as when the
    backup began; a second restore is refused until --force."""
    result = restore(restored, backup)
    assert result.exit_code == 0, result.output + result.stderr
    assert "Restored the database" in result.output
    answer = restored.test_client().get("/api/v1/units/DEMO-U",
                                        headers={"Authorization": f"Bearer {taken.token}"})
    assert answer.status_code == 200
    assert answer.get_json() == taken.served
    with restored.app_context():
        copied, numbers = counts(), written_numbers()
        assert {k: v for k, v in copied.items() if k != "person"} == \
            {k: v for k, v in taken.live.items() if k != "person"}
        assert numbers == list(range(1, len(numbers) + 1))
        assert taken.before <= len(numbers) <= taken.written
        assert copied["person"] - len(numbers) == taken.live["person"] - taken.written
        epoch = db.session.scalar(select(ContentVersion.epoch))
        db.session.add(Person(number="AFTER-RESTORE", name="新数据"))
        db.session.commit()
    refused = restore(restored, backup)
    assert refused.exit_code == 1
    assert "--force" in refused.stderr
    with restored.app_context():
        assert db.session.scalar(select(Person.id).where(Person.number == "AFTER-RESTORE"))
    forced = restore(restored, backup, "--force")
    assert forced.exit_code == 0, forced.output + forced.stderr
    with restored.app_context():
        assert db.session.scalar(select(Person.id).where(Person.number == "AFTER-RESTORE")) is None
        assert counts() == copied
        # the same backup again, under a new epoch: no server keeps content it cached before
        assert db.session.scalar(select(ContentVersion.epoch)) != epoch
        db.session.remove()
        db.engine.dispose()


@pytest.mark.sqlite
def test_sqlite_backup_under_a_writer_restores_into_a_new_database(app, runner, tmp_path):
    backup = tmp_path / "backup.db"
    taken = back_up_while_writing(app, runner, backup)
    target = tmp_path / "restored.db"
    check_restored(restored_app(f"sqlite:///{target}"), backup, taken)
    restored = sqlite3.connect(target)
    try:
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        restored.close()


@pytest.fixture
def fresh_postgres():
    """An empty database beside the test database, dropped afterwards."""
    url = make_url(db.engine.url)
    fresh = url.set(database=f"{url.database}_restored")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{fresh.database}"'))
    yield fresh.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgresql
def test_pg_dump_under_a_writer_restores_into_a_fresh_database(app, runner, tmp_path, fresh_postgres):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    backup = tmp_path / "backup.pgc"
    taken = back_up_while_writing(app, runner, backup)
    check_restored(restored_app(fresh_postgres), backup, taken)


@pytest.mark.sqlite
def test_restore_refuses_what_is_not_a_backup_of_this_app(app, tmp_path):
    restored = restored_app(f"sqlite:///{tmp_path / 'new.db'}")
    garbage = tmp_path / "notes.db"
    garbage.write_text("not a database")
    result = restore(restored, garbage)
    assert result.exit_code == 1
    assert "is not a SQLite backup" in result.stderr
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE thing (id INTEGER)")
    conn.close()
    result = restore(restored, other)
    assert result.exit_code == 1
    assert "not a backup of this application's database" in result.stderr
    with restored.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_restore_needs_pg_restore(monkeypatch, app, tmp_path):
    dump = tmp_path / "dump.pgc"
    dump.write_bytes(b"PGDMP")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(DomainError, match="pg_restore was not found"):
        restore_postgres(make_url("postgresql+psycopg://u:secret@db.example/shouwang"), dump, clean=False)
