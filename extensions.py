"""Unbound extension objects, bound to the app in app.create_app()."""
import sqlite3

import flask_limiter
from flask_babel import Babel
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, without its app-wide pass on requests where it has nothing to check.

    Before every request Flask-Limiter looks for default, application, meta and blueprint
    limits; this app sets none (each limit decorates its view, and is checked there), so
    that pass costs each request a few hundred calls to find nothing. It still runs the
    moment any such limit exists.
    """

    def _check_request_limit(self, callable_name: str | None = None,
                             in_middleware: bool = True) -> None:
        if in_middleware and not self.has_app_wide_limits():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def has_app_wide_limits(self) -> bool:
        """Whether the before-request pass could find a limit (if Flask-Limiter's internals
        are not as expected, assume so)."""
        manager = self.limit_manager
        return bool(getattr(manager, "_application_limits", True)
                    or getattr(manager, "_default_limits", True)
                    or getattr(manager, "_blueprint_limits", True)
                    or getattr(self, "_meta_limits", True)
                    or getattr(self, "_in_memory_fallback_enabled", True))


limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def set_sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on WAL, a busy timeout and foreign keys for every SQLite connection."""
    if type(dbapi_connection).__module__.split(".")[0] != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "savepoint")
def begin_before_sqlite_savepoint(conn, name):
    """Open the transaction (with the write lock) before a SAVEPOINT on SQLite.

    The sqlite3 driver begins a transaction only before INSERT/UPDATE/DELETE, so a
    SAVEPOINT issued first would start one of its own, and releasing it would COMMIT
    half a request's work. Savepoints here always guard a write, so BEGIN IMMEDIATE.
    """
    if conn.dialect.name != "sqlite":
        return
    dbapi_connection = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:  # the driver's own BEGIN, like psycopg's: not counted
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # locked: answered 503 like any other wait
            raise OperationalError("BEGIN IMMEDIATE", (), error) from error
