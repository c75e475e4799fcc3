"""Expiry reminders (`flask certs remind`, run daily from cron).

What is owed is written down before anything is sent, in four phases with a checkpoint
(the CLI passes `db.session.commit`) after each phase and after each message:

a. `create_notices`: one ExpiryNotice per certificate and threshold crossed — only the
   most recent threshold, so a first run 5 days before expiry creates the 7-day notice,
   not stale 90- and 30-day ones;
b. `queue_digests`: a DigestItem for every admin whose scope holds the notice's holder;
c. `reminder_mail.send_notices`: each holder's mail, marked sent right after delivery;
d. `reminder_mail.send_digests`: one digest per admin, its items marked sent together.

Phases a and b are single INSERT … SELECT … ON CONFLICT DO NOTHING statements, so a
rerun (or two runs at once) adds nothing twice; a crash or a failing mail server leaves
pending rows that the next run sends. The one window for a duplicate is a crash between
the server accepting a message and the commit after it; the stable Message-ID lets mail
clients fold such a duplicate.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import exists
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import aliased

from extensions import db
from models import Assignment
from models import Certificate
from models import DigestItem
from models import ExpiryNotice
from models import Grant
from models import Unit
from models import User
from models.base import utcnow
from models.notices import REMINDER_THRESHOLDS

#: a certificate that expired this many days ago still gets its on-expiry notice, so a
#: day the cron job missed does not let it lapse unannounced
GRACE_DAYS = 7


@dataclass
class Report:
    notices: int = 0
    digest_items: int = 0
    sent: int = 0
    failed: int = 0
    no_address: int = 0
    #: failed notices that reached reminder_mail.MAX_ATTEMPTS and will not be retried
    gave_up: int = 0
    digests_sent: int = 0
    digests_failed: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.digests_failed


def remind(as_of: date | None = None, send: bool = True,
           checkpoint: Callable[[], None] = lambda: None) -> Report:
    """Record the reminders due on `as_of`, then mail holders and admins what is unsent.

    :param send: False counts what would be mailed and changes no mail state (dry run).
    :param checkpoint: called after each phase and each message; the CLI commits there,
        which is what makes a crash lose nothing (services themselves never commit).
    """
    from services import reminder_mail

    as_of = as_of or date.today()
    report = Report()
    report.notices = create_notices(as_of)
    checkpoint()
    report.digest_items = queue_digests(as_of)
    checkpoint()
    reminder_mail.send_notices(as_of, report, send=send, checkpoint=checkpoint)
    reminder_mail.send_digests(as_of, report, send=send, checkpoint=checkpoint)
    return report


def eligible(cert, as_of: date) -> ColumnElement[bool]:
    """Certificates still owed reminders: not revoked, started, within 90 days of expiry
    (or expired in the last GRACE_DAYS), and not followed by a renewal."""
    later = aliased(Certificate)
    return and_(
        cert.revoked_at.is_(None),
        cert.issued <= as_of,
        cert.expires <= as_of + timedelta(days=max(REMINDER_THRESHOLDS)),
        cert.expires >= as_of - timedelta(days=GRACE_DAYS),
        ~exists().where(later.person_id == cert.person_id, later.program_id == cert.program_id,
                        later.issued > cert.issued, later.revoked_at.is_(None)),
    )


def current_threshold(cert, as_of: date):
    """The smallest threshold already crossed on `as_of`: 0 once it has expired."""
    steps = sorted(REMINDER_THRESHOLDS)
    return case(*[(cert.expires <= as_of + timedelta(days=t), t) for t in steps])


def create_notices(as_of: date) -> int:
    """Insert the notice due for each eligible certificate unless it exists; the count."""
    cert = aliased(Certificate)
    rows = select(cert.id, cert.person_id, current_threshold(cert, as_of), literal(utcnow()),
                  literal("pending"), literal(0), literal("")).where(eligible(cert, as_of))
    columns = ["certificate_id", "person_id", "threshold", "created_at", "mail_status",
               "mail_attempts", "mail_error"]
    return insert_missing(ExpiryNotice.__table__, columns, rows)


def covers_column(root, unit) -> ColumnElement[bool]:
    """SQL for scope.covers: `unit` lies in the subtree of `root` (both Unit aliases)."""
    return or_(
        and_(root.kind == "province", unit.province_id == root.id),
        and_(root.kind == "university", unit.university_id == root.id),
        and_(root.kind == "college", unit.college_id == root.id),
        and_(root.kind == "class", unit.class_id == root.id),
        and_(root.kind.not_in(("province", "university", "college", "class")), unit.id == root.id),
    )


def queue_digests(as_of: date) -> int:
    """Owe each current notice to every active admin with an e-mail address whose grant
    covers a unit where the holder holds a role on `as_of`; the count added."""
    notice, cert = aliased(ExpiryNotice), aliased(Certificate)
    unit, root = aliased(Unit), aliased(Unit)
    rows = (
        select(Grant.user_id, notice.id, literal(utcnow()))
        .select_from(notice)
        .join(cert, cert.id == notice.certificate_id)
        .join(Assignment, and_(Assignment.person_id == notice.person_id,
                               Assignment.start <= as_of,
                               or_(Assignment.end.is_(None), Assignment.end >= as_of)))
        .join(unit, unit.id == Assignment.unit_id)
        .join(root, covers_column(root, unit))
        .join(Grant, and_(Grant.unit_id == root.id, Grant.kind == "admin"))
        .join(User, User.id == Grant.user_id)
        .where(eligible(cert, as_of), notice.threshold == current_threshold(cert, as_of),
               User.active.is_(True), User.email.is_not(None))
        .distinct()
    )
    return insert_missing(DigestItem.__table__, ["user_id", "notice_id", "created_at"], rows)


def insert_missing(table, columns: list[str], rows) -> int:
    """INSERT … SELECT that skips rows a unique constraint already holds; rows added."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    statement = insert(table).from_select(columns, rows).on_conflict_do_nothing()
    # counted from RETURNING: rowcount comes back -1 for this statement on PostgreSQL
    return len(db.session.execute(statement.returning(table.c.id)).all())
