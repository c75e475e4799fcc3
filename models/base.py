"""Small helpers shared by the model files."""
from datetime import UTC
from datetime import datetime

#: the largest id a row can have: ids are INTEGER columns, 32 bits on PostgreSQL
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """Now in UTC, naive: SQLite keeps no zone, so every stored time is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
