"""Where a person stands in one program on a day, from their certificates alone: certified
(and whether due for renewal), renewed in advance, lapsed or revoked — and so what an
evaluation may issue next, and from which day activity counts towards it."""
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from models import Certificate
from models import Program
from services.certification_rules import HeldCertificate


@dataclass
class Standing:
    """Where a person stands in one program on a day, from their certificates alone.

    `mode` is what an evaluation may do: "none" (certified and not yet due, or a renewal
    already issued), "renew" (due: a renewal starts when `current` expires) or "new" (no
    valid certificate: a new one starts on the day). `since` is the day from which
    quiz passes and hours count towards that: the renewal window's first day; after an expiry, the
    first day the lapsed certificate was due (renewal work done late still counts); after
    a revocation, the day it was revoked. A revoked certificate is never re-issued from
    the evidence that earned it: after a revocation a new certificate needs fresh
    activity — quizzes passed again and hours dated from the revocation on — so a program
    asking for neither (only modules or qualifications) is never issued again
    automatically; an admin may load one with `flask certs import`.
    """

    current: HeldCertificate | Certificate | None
    upcoming: HeldCertificate | Certificate | None
    latest: HeldCertificate | Certificate | None
    mode: str
    since: date | None
    due_from: date | None
    #: after a revocation: hours count from this day, and a quiz or hours must be required
    fresh_from: date | None = None


def standing(program: Program, certificates: list[HeldCertificate | Certificate],
             as_of: date) -> Standing:
    live = [c for c in certificates if c.revoked_at is None]
    valid = [c for c in live if c.issued <= as_of < c.expires]
    current = max(valid, key=lambda c: (c.expires, c.id)) if valid else None
    later = [c for c in live if c.issued > as_of]
    upcoming = min(later, key=lambda c: (c.issued, c.id)) if later else None
    latest = max(certificates, key=lambda c: (c.issued, c.id)) if certificates else None
    revoked_on = max((c.revoked_at.date() for c in certificates if c.revoked_at is not None),
                     default=None)
    if current is not None:
        due_from = current.expires - timedelta(days=program.renew_window_days)
        taken = any(c.issued == current.expires for c in certificates)
        mode = "renew" if as_of >= due_from and upcoming is None and not taken else "none"
        return Standing(current, upcoming, latest, mode, due_from, due_from)
    if upcoming is not None:
        return Standing(None, upcoming, latest, "none", None, None)
    lapsed = [c.expires - timedelta(days=program.renew_window_days) for c in live]
    since = max([*lapsed, *([revoked_on] if revoked_on else [])], default=None)
    fresh_from = revoked_on if revoked_on is not None and revoked_on >= since else None
    return Standing(None, None, latest, "new", since, None, fresh_from)
