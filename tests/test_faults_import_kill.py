"""An import killed halfway (kill -9 while it holds the write lock, i.e. mid-write) leaves
nothing behind and the database sound: `flask roster people` and `flask hours import`
each write in one transaction, on SQLite and PostgreSQL alike."""
import os
import subprocess
import sys
import time
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from extensions import db
from models import Assignment
from models import HourEntry
from models import Person
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import write_file

ROOT = Path(__file__).resolve().parent.parent
#: rows in the generated files: writing them takes about a second, ample time to be killed in
PEOPLE_ROWS = 6_000
HOUR_ROWS = 30_000
DORMS = 100


@pytest.fixture
def dorms(roles, make_unit):
    """U1 › C1 › K1 › D000…D099."""
    k1 = make_unit("K1", "class", make_unit("C1", "college", make_unit("U1")))
    return [make_unit(f"D{i:03d}", "dorm", k1).code for i in range(DORMS)]


def start_cli(database: str, *args) -> subprocess.Popen:
    """`flask --app app …` in its own process, as an admin would run it, on the test database."""
    env = dict(os.environ, DATABASE_URL=database, SECRET_KEY="import-kill-test", LANG="C.UTF-8")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def writing(probe) -> bool:
    """Whether another connection is in the middle of writing (it holds the write lock on
    SQLite; its transaction has been given an id on PostgreSQL)."""
    with probe.connect() as conn:
        if probe.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except Exception:  # noqa: BLE001 (the lock is taken: "database is locked")
                return True
            conn.exec_driver_sql("ROLLBACK")
            return False
        return bool(conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")))


def kill_mid_write(database: str, *args) -> float:
    """Start the command, kill -9 it as soon as it is writing; seconds it had run."""
    probe = create_engine(database)
    started = time.monotonic()
    process = start_cli(database, *args)
    try:
        while not writing(probe):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() - started < 50, "the import never started writing"
            time.sleep(0.01)
        process.kill()
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
        probe.dispose()
    assert process.returncode == -9, "killed, not finished"
    return time.monotonic() - started


def wait_until_rolled_back(database: str) -> None:
    """PostgreSQL ends the dead client's backend (and its transaction) a moment later."""
    probe = create_engine(database)
    deadline = time.monotonic() + 20
    while writing(probe) and time.monotonic() < deadline:
        time.sleep(0.05)
    probe.dispose()


def assert_sound(database: str) -> None:
    """The database opens and checks clean after the kill."""
    if database.startswith("sqlite"):
        with create_engine(database).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def test_a_roster_import_killed_mid_write_leaves_nothing(app, database, dorms, tmp_path):
    rows = [PEOPLE_HEADERS] + [[f"P{i:06d}", f"学生{i}", "dorm_informant", dorms[i % DORMS],
                                "", "", "2026-09-01", ""] for i in range(PEOPLE_ROWS)]
    path = write_file(tmp_path, "people.csv", rows)
    kill_mid_write(database, "roster", "people", str(path))
    wait_until_rolled_back(database)
    assert_sound(database)
    assert (count(Person), count(Assignment)) == (0, 0)
    db.session.add(Person(number="P000001", name="学生1"))  # no lock outlived the process
    db.session.commit()
    assert count(Person) == 1


def test_an_hours_import_killed_mid_write_leaves_nothing(app, database, dorms, tmp_path):
    people = 2_000
    db.session.execute(insert(Person), [{"number": f"P{i:06d}", "name": f"学生{i}"}
                                        for i in range(people)])
    db.session.commit()
    first = date.today() - timedelta(days=400)
    rows = [["number", "date", "hours", "activity", "note"]] + [
        [f"P{i % people:06d}", (first + timedelta(days=i // people)).isoformat(), "1", "workshop",
         f"第{i}条"] for i in range(HOUR_ROWS)]
    path = write_file(tmp_path, "hours.csv", rows)
    kill_mid_write(database, "hours", "import", str(path))
    wait_until_rolled_back(database)
    assert_sound(database)
    assert count(HourEntry) == 0
    assert count(Person) == people
