"""When a session's attendance may be taken: from 30 minutes before it starts, and, for
QR check-in, until 15 minutes after it ends (the grace lets the last people scan on
their way out, and a session that runs a little over still counts). Trainers ticking
the list or importing a file have no closing time: they often do it the next day.
"""
from datetime import datetime
from datetime import timedelta

from models import TrainingSession
from models.base import utcnow

#: check-in opens this long before the start…
OPEN_BEFORE = timedelta(minutes=30)
#: …and QR check-in stays open this long after the end
GRACE_AFTER = timedelta(minutes=15)

EARLY, OPEN, CLOSED, CANCELLED = "early", "open", "closed", "cancelled"


def opens_at(session: TrainingSession) -> datetime:
    return session.starts_at - OPEN_BEFORE


def closes_at(session: TrainingSession) -> datetime:
    return session.ends_at + GRACE_AFTER


def window_state(session: TrainingSession, now: datetime | None = None) -> str:
    """early | open | closed | cancelled: whether a QR code may be shown and scanned now."""
    now = now or utcnow()
    if session.cancelled_at is not None:
        return CANCELLED
    if now < opens_at(session):
        return EARLY
    if now > closes_at(session):
        return CLOSED
    return OPEN
