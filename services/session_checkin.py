"""QR check-in: a code on the trainer's screen that only works in the room, while it lasts.

The code is a link carrying a token that rotates every minute:
HMAC-SHA256(session.checkin_secret, str(slot)), slot = floor(unix time / 60), the
digest in URL-safe base64 cut to 16 characters (96 bits). A token from the current or
the previous slot is accepted, so a code scanned a moment before it changes still works
(a photo of the screen lasts one to two minutes). Codes work only inside the window of
services/session_window.py (30 minutes before the start to 15 minutes after the end).
"""
import base64
import hashlib
import hmac
from datetime import datetime

from flask_babel import gettext as _

from models import Person
from models import TrainingSession
from models.base import utcnow
from services.errors import Conflict
from services.errors import DomainError
from services.errors import Forbidden
from services.session_attendance import mark_present
from services.session_eligibility import in_subtree
from services.session_times import epoch
from services.session_window import CANCELLED
from services.session_window import CLOSED
from services.session_window import EARLY
from services.session_window import window_state
from services.training_sessions import session_date

SLOT_SECONDS = 60
TOKEN_LENGTH = 16


def slot_of(now: datetime) -> int:
    return int(epoch(now) // SLOT_SECONDS)


def token_for(session: TrainingSession, slot: int) -> str:
    digest = hmac.new(session.checkin_secret.encode(), str(slot).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def current_token(session: TrainingSession, now: datetime | None = None) -> str:
    """The token the QR screen shows now."""
    return token_for(session, slot_of(now or utcnow()))


def token_is_valid(session: TrainingSession, token: str, now: datetime | None = None) -> bool:
    """Whether `token` is the current or the previous minute's (compared in constant time)."""
    slot = slot_of(now or utcnow())
    given = (token or "").encode()
    return any(hmac.compare_digest(given, token_for(session, s).encode()) for s in (slot, slot - 1))


def check_token(session: TrainingSession, token: str, now: datetime | None = None) -> None:
    """Raise a DomainError saying why the code cannot be used now."""
    now = now or utcnow()
    state = window_state(session, now)
    if state == CANCELLED:
        raise Conflict(_("This session was cancelled."))
    if state == EARLY:
        raise Conflict(_("Check-in has not opened yet: it opens 30 minutes before the session "
                         "starts."))
    if state == CLOSED:
        raise Conflict(_("Check-in for this session has closed."))
    if not token_is_valid(session, token, now):
        raise DomainError(_("This check-in code has expired or is not valid: scan the code on "
                            "the screen again."))


def check_person(session: TrainingSession, person: Person | None) -> Person:
    """The person checking in, if they may: linked to the roster and in the session's unit."""
    if person is None:
        raise Forbidden(_("Your account is not linked to anyone in the roster, so it cannot "
                          "check in."))
    if not in_subtree(session, person, session_date(session)):
        raise Forbidden(_("You cannot check in: this session is for the people of %(unit)s.",
                          unit=session.unit.name))
    return person


def check_in(session: TrainingSession, person: Person | None, token: str,
             now: datetime | None = None) -> bool:
    """Mark the person present by a scanned code; True when newly marked (False: already)."""
    now = now or utcnow()
    check_token(session, token, now)
    return mark_present(session, check_person(session, person), "qr", now=now)
