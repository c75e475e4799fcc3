"""`flask db restore PATH`: put back a copy made by `flask db backup`, never over data by accident.

A database that already has tables is replaced only with `force`. SQLite: the backup is
checked (a SQLite file holding this app's schema that passes integrity_check), then
written into the database through the online backup API, so SQLite itself replaces the
pages and deals with the write-ahead log; copying a file over a database whose old
`-wal` file is still there would corrupt it. PostgreSQL: pg_restore of the custom-format
dump in one transaction (`--clean --if-exists` with force), so a failure restores
nothing. Stop the app servers first: a restore replaces everything they see.
"""
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.engine import Engine

from services.backup import libpq
from services.errors import DomainError

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


def restore_database(engine: Engine, path: str | Path, force: bool = False) -> int:
    """Replace the database behind `engine` with the backup at `path`; return its table count."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(_("There is no backup at %(path)s.", path=path))
    tables = inspect(engine).get_table_names()
    engine.dispose()  # no pooled connection may hold the old database open
    if tables and not force:
        raise DomainError(_("The database already has %(n)d tables: restoring replaces everything in "
                            "it. Stop the app servers and add --force to do it.", n=len(tables)))
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        restore_sqlite(engine.url, path)
    elif backend == "postgresql":
        restore_postgres(engine.url, path, clean=bool(tables))
    else:
        raise DomainError(_("Restoring a %(backend)s database is not supported.", backend=backend))
    engine.dispose()
    renew_content_epoch(engine)
    return len(inspect(engine).get_table_names())


def renew_content_epoch(engine: Engine) -> None:
    """A restored copy carries an earlier (epoch, version) of its content; a server still
    running may hold a snapshot of later content under a pair the next edits will reach
    again (services/content_catalogue.py). A new epoch makes every kept snapshot stale."""
    with engine.begin() as connection:
        if inspect(connection).has_table("content_version"):
            connection.execute(text("UPDATE content_version SET epoch = :epoch"),
                               {"epoch": secrets.randbits(52)})


def header(path: Path, size: int) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def restore_sqlite(url: URL, path: Path) -> None:
    """Check the backup, then copy it page by page into the database file."""
    database = url.database
    if not database or database == ":memory:":
        raise DomainError(_("There is no SQLite database file to restore into (%(db)s).",
                            db=database or ":memory:"))
    if Path(database).resolve() == path.resolve():
        raise DomainError(_("%(path)s is the database itself, not a backup of it.", path=path))
    if header(path, len(SQLITE_HEADER)) != SQLITE_HEADER:
        raise DomainError(_("%(path)s is not a SQLite backup.", path=path))
    source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        problem = source.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise DomainError(_("The backup failed its integrity check: %(error)s", error=problem))
        if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone() is None:
            raise DomainError(_("%(path)s is not a backup of this application's database.", path=path))
        source.backup(target)
        problem = target.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        raise DomainError(_("The restore failed: %(error)s", error=str(error))) from None
    finally:
        target.close()
        source.close()
    if problem != "ok":
        raise DomainError(_("The restored database failed its integrity check: %(error)s",
                            error=problem))


def restore_postgres(url: URL, path: Path, clean: bool) -> None:
    """Run pg_restore in one transaction, dropping what the dump holds first when `clean`."""
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise DomainError(_("pg_restore was not found on PATH; install the PostgreSQL client tools "
                            "(for example `apt-get install postgresql-client`) of the server's "
                            "version or newer."))
    if header(path, len(PG_DUMP_HEADER)) != PG_DUMP_HEADER:
        raise DomainError(_("%(path)s is not a pg_dump custom-format backup.", path=path))
    dbname, env = libpq(url)
    command = [pg_restore, "--no-owner", "--exit-on-error", "--single-transaction",
               *(["--clean", "--if-exists"] if clean else []), f"--dbname={dbname}", str(path)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DomainError(_("pg_restore failed: %(error)s", error=result.stderr.strip()))
