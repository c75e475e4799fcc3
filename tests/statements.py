"""Counting the SQL statements a request issues, for the "same number at two sizes" tests."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from extensions import db


@contextmanager
def recorded() -> Iterator[list[str]]:
    """The statements sent to the database inside the block, in order."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_of_get(client, path: str, **kwargs) -> int:
    """How many statements a GET of `path` issues once warm (the first GET may record a
    token's last use or fill a cache); the answer must be 200."""
    client.get(path, **kwargs)
    with recorded() as statements:
        response = client.get(path, **kwargs)
    assert response.status_code == 200, response.status_code
    return len(statements)
