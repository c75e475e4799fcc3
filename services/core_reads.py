"""Read-only Core statements on the session's connection, for the hot learner pages.

`db.session.execute()` runs a Core select through the ORM's per-statement machinery
(events, result wrapping, ORM compile options): about twice the Python of running it on
the session's connection. `read()` keeps what matters of it — the same transaction, and
pending changes flushed first as autoflush would — without the rest.
"""
from sqlalchemy.engine import CursorResult

from extensions import db


def read(statement, params: dict | None = None) -> CursorResult:
    session = db.session()
    if session.autoflush:
        session.flush()  # returns at once when nothing is pending
    return session.connection().execute(statement, params)
