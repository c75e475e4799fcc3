"""`flask db backup PATH`: a consistent, readable copy of the running database."""
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from services import backup
from services.errors import DomainError

TABLES = ("unit", "person", "assignment", "role", "staffing_rule", "user", "grant")


def live_counts() -> dict[str, int]:
    return {name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
            for name in TABLES}


@pytest.mark.sqlite
def test_sqlite_backup_is_a_readable_copy_with_the_same_rows(runner, tmp_path):
    runner.invoke(args=["demo", "load"])
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Backed up the database to {target}" in result.output
    copy = sqlite3.connect(target)
    try:
        copied = {name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for name in TABLES}
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()
    assert copied == live_counts()
    assert copied["unit"] > 0
    assert not target.with_name("copy.db-wal").exists()


@pytest.mark.sqlite
def test_backup_does_not_overwrite_without_force(runner, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert target.read_text() == "keep me"
    result = runner.invoke(args=["db", "backup", "--force", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_backup_into_a_missing_directory_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["db", "backup", str(tmp_path / "no" / "such" / "copy.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_postgres_backup_needs_pg_dump(monkeypatch, app, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(DomainError, match="pg_dump was not found"):
        backup.backup_database("postgresql+psycopg://u:secret@db.example/shouwang",
                               tmp_path / "dump")


def test_postgres_backup_keeps_the_password_off_the_command_line(monkeypatch, app, tmp_path):
    calls = []

    def run(command, env, **kwargs):
        calls.append((command, env))
        written = next(part for part in command if part.startswith("--file="))
        Path(written.removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/pg_dump")
    monkeypatch.setattr(subprocess, "run", run)
    backup.backup_database("postgresql+psycopg://u:secret@db.example:5433/shouwang",
                           tmp_path / "dump")
    [(command, env)] = calls
    assert "--format=custom" in command
    assert (tmp_path / "dump").read_bytes() == b"PGDMP"
    assert "--dbname=postgresql://u@db.example:5433/shouwang" in command
    assert not any("secret" in part for part in command)
    assert env["PGPASSWORD"] == "secret"


def test_a_failed_pg_dump_leaves_the_earlier_backup_whole(monkeypatch, app, tmp_path):
    earlier = tmp_path / "dump"
    earlier.write_bytes(b"PGDMP earlier backup")

    def run(command, env, **kwargs):
        written = next(part for part in command if part.startswith("--file="))
        Path(written.removeprefix("--file=")).write_bytes(b"PGDMP half")
        return subprocess.CompletedProcess(command, 1, "", "connection refused")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/pg_dump")
    monkeypatch.setattr(subprocess, "run", run)
    with pytest.raises(DomainError, match="connection refused"):
        backup.backup_database("postgresql+psycopg://u@db.example/shouwang", earlier, overwrite=True)
    assert earlier.read_bytes() == b"PGDMP earlier backup"
    assert list(tmp_path.iterdir()) == [earlier]


@pytest.mark.postgresql
def test_postgres_backup_with_pg_dump(runner, app, tmp_path):
    target = tmp_path / "dump.pgc"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"PGDMP")
