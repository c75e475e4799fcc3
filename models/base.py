"""Small helpers shared by the model files."""
from datetime import UTC
from datetime import datetime


def utcnow() -> datetime:
    """Now in UTC, naive: SQLite keeps no zone, so every stored time is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
