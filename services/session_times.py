"""Session times: trainers type local wall-clock times (Asia/Shanghai by default), the
database keeps naive UTC like every stored time, and a session's ledger date is its
local calendar date (a session at 07:30 Beijing time is dated that day, not the UTC day
before)."""
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask import has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def local_zone() -> ZoneInfo:
    """The zone sessions are entered and shown in: the app's BABEL_DEFAULT_TIMEZONE."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def to_utc(local: datetime) -> datetime:
    """A naive local wall-clock time as naive UTC, for storing."""
    aware = local.replace(tzinfo=local_zone()) if local.tzinfo is None else local
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    """A stored naive UTC time as naive local wall-clock time, for forms."""
    return utc.replace(tzinfo=UTC).astimezone(local_zone()).replace(tzinfo=None)


def local_date(utc: datetime) -> date:
    """The local calendar date of a stored time."""
    return to_local(utc).date()


def epoch(utc: datetime) -> float:
    """Seconds since 1970 of a stored naive UTC time."""
    return utc.replace(tzinfo=UTC).timestamp()
