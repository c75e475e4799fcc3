"""`flask db backup PATH`: a consistent copy of the database while the app keeps running.

SQLite is copied with sqlite3's online backup API, which reads one consistent
snapshot (WAL included) without stopping writers; the copy is turned into a single
self-contained file. PostgreSQL is dumped with `pg_dump` in its custom format, which
`pg_restore` reads.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy.engine import URL
from sqlalchemy.engine import make_url

from services.errors import DomainError


def backup_database(url: str | URL, path: str | Path, overwrite: bool = False) -> Path:
    """Copy the database at `url` to `path`; return the path written."""
    url = make_url(url)
    path = Path(path)
    if path.exists() and not overwrite:
        raise DomainError(_("%(path)s already exists; choose another path or use --force.",
                            path=path))
    if not path.parent.is_dir():
        raise DomainError(_("The directory %(path)s does not exist.", path=path.parent))
    backend = url.get_backend_name()
    if backend == "sqlite":
        backup_sqlite(url, path)
    elif backend == "postgresql":
        backup_postgres(url, path)
    else:
        raise DomainError(_("Backing up a %(backend)s database is not supported.", backend=backend))
    return path


def backup_sqlite(url: URL, path: Path) -> None:
    """Copy a SQLite file page by page through the online backup API."""
    source_path = url.database
    if not source_path or source_path == ":memory:" or not Path(source_path).exists():
        raise DomainError(_("There is no SQLite database file to back up (%(db)s).",
                            db=source_path or ":memory:"))
    temporary = path.with_name(path.name + ".partial")
    temporary.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(temporary)
    problem = "unfinished"
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        problem = target.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        raise DomainError(_("The backup failed: %(error)s", error=str(error))) from None
    finally:
        target.close()
        source.close()
        if problem != "ok":  # no half-written copy left behind
            temporary.unlink(missing_ok=True)
    if problem != "ok":
        raise DomainError(_("The backup copy failed its integrity check: %(error)s", error=problem))
    os.replace(temporary, path)


def backup_postgres(url: URL, path: Path) -> None:
    """Run pg_dump --format=custom, passing the password through the environment."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DomainError(_("pg_dump was not found on PATH; install the PostgreSQL client tools "
                            "(for example `apt-get install postgresql-client`) of the server's "
                            "version or newer."))
    dbname, env = libpq(url)
    temporary = path.with_name(path.name + ".partial")
    command = [pg_dump, "--format=custom", "--no-owner", f"--file={temporary}", f"--dbname={dbname}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        temporary.unlink(missing_ok=True)
        raise DomainError(_("pg_dump failed: %(error)s", error=result.stderr.strip()))
    os.replace(temporary, path)  # an earlier backup stays whole until the new one is


def libpq(url: URL) -> tuple[str, dict]:
    """The --dbname for pg_dump/pg_restore and their environment: the password goes in
    PGPASSWORD, never on the command line (where `ps` shows it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    target = URL.create("postgresql", url.username, None, url.host, url.port, url.database,
                        url.query)
    return target.render_as_string(hide_password=False), env
