"""Take the write lock before reading what a write depends on (read, check, then write).

PostgreSQL locks the row with SELECT … FOR UPDATE: writers to the same row queue behind
it until commit. SQLite ignores FOR UPDATE, and its driver runs plain SELECTs outside any
transaction, so two requests could both read "8 hours so far" and both add more. There
the transaction starts with BEGIN IMMEDIATE instead: it waits (busy_timeout) for the one
database write lock and holds it until commit, so every later read is current. If the
connection is already in a transaction it holds that lock already: the driver begins one
only before a write, and extensions.py begins one (IMMEDIATE) before a savepoint.
A wait longer than busy_timeout raises OperationalError, answered 503 (blueprints/errors.py).
"""
from sqlalchemy import select

from extensions import db


def lock_for_write(model, ident: int) -> None:
    """Hold the write lock on `model` row `ident` (SQLite: the database's) until commit."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    db.session.execute(select(model.id).where(model.id == ident).with_for_update())
