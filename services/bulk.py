"""Bulk inserts with ids chosen up front, for data too large for the ORM's unit of work.

Rows are buffered per table and written in chunks, parents' tables first, so that
foreign keys always point at rows already written. Ids continue from the largest
one in each table; on PostgreSQL the id sequences are moved past them at the end.
"""
from collections import Counter

from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from extensions import db
from models.base import utcnow


class BulkWriter:
    """Buffers rows for `tables` (in foreign-key order) and inserts them in chunks."""

    def __init__(self, tables: list[Table], chunk: int = 10_000):
        self.tables = tables
        self.chunk = chunk
        self.now = utcnow()
        self.buffers: dict[str, list[dict]] = {t.name: [] for t in tables}
        self.next_ids = {
            t.name: (db.session.scalar(select(func.max(t.c.id))) or 0) + 1 for t in tables
        }
        self.counts: Counter[str] = Counter()

    def new_id(self, table: str) -> int:
        """Reserve the next id of `table`, for rows that must know their own id."""
        value = self.next_ids[table]
        self.next_ids[table] += 1
        return value

    def add(self, table: str, row: dict) -> int:
        """Queue one row (every row of a table with the same keys); return its id."""
        if "id" not in row:
            row["id"] = self.new_id(table)
        row.setdefault("created_at", self.now)
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush()
        return row["id"]

    def flush(self) -> None:
        """Write every buffered row, parents' tables first."""
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows:
                db.session.execute(insert(table), rows)
                self.counts[table.name] += len(rows)
                rows.clear()

    def finish(self) -> Counter[str]:
        """Flush, then let PostgreSQL's id sequences continue after our ids."""
        self.flush()
        if db.session.get_bind().dialect.name == "postgresql":
            for table in self.tables:
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT MAX(id) FROM {table.name}))"
                ))
        return self.counts
