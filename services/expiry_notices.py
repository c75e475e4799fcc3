"""Expiry notices on the holder's dashboard, and closing them."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased

from extensions import db
from models import Certificate
from models import ExpiryNotice
from models import Person
from models.base import utcnow
from services.content_catalogue import ProgramEntry
from services.content_catalogue import catalogue
from services.core_reads import read
from services.errors import NotFound


@dataclass(frozen=True)
class NoticeView:
    """An open notice as the dashboard shows it: plain values, read with Core (the
    dashboard is the busiest page; entities cost several times a row)."""
    id: int
    #: the certificate's program, from the content catalogue
    program: ProgramEntry
    #: the certificate's end
    expires: date
    #: days from today to `expires`; zero or less once it has passed
    days_left: int


def open_notices_statement():
    """A person's open notices (`person_id`): built once, as building it costs more than
    running it."""
    cert, later, other = aliased(Certificate), aliased(Certificate), aliased(ExpiryNotice)
    latest = (select(func.min(other.threshold))
              .where(other.certificate_id == ExpiryNotice.certificate_id).scalar_subquery())
    return (select(ExpiryNotice.id, cert.program_id, cert.expires)
            .join(cert, cert.id == ExpiryNotice.certificate_id)
            .where(ExpiryNotice.person_id == bindparam("person_id"),
                   ExpiryNotice.dismissed_at.is_(None),
                   ExpiryNotice.threshold == latest, cert.revoked_at.is_(None),
                   ~exists().where(later.person_id == cert.person_id,
                                   later.program_id == cert.program_id,
                                   later.issued > cert.issued, later.revoked_at.is_(None)))
            .order_by(ExpiryNotice.created_at.desc(), ExpiryNotice.id.desc()))


OPEN_NOTICES = open_notices_statement()


def dashboard_notices(person: Person | None, as_of: date | None = None) -> list[NoticeView]:
    """The person's open notices, newest first: one per certificate (its latest), and
    none for a certificate since revoked or renewed."""
    if person is None:
        return []
    as_of = as_of or date.today()
    rows = read(OPEN_NOTICES, {"person_id": person.id}).all()
    if not rows:
        return []
    programs = {program.id: program for program in catalogue().programs}
    # a program committed after this transaction's catalogue check has no title here yet:
    # its notice shows on the next view rather than failing this one
    return [NoticeView(notice_id, programs[program_id], expires, (expires - as_of).days)
            for notice_id, program_id, expires in rows if program_id in programs]


def dismiss_notice(person: Person | None, notice_id: int) -> ExpiryNotice:
    """Close one of the person's own notices; closing it again changes nothing."""
    notice = None
    if person is not None:
        notice = db.session.scalar(select(ExpiryNotice).where(
            ExpiryNotice.id == notice_id, ExpiryNotice.person_id == person.id))
    if notice is None:
        raise NotFound(_("No such notice."))
    if notice.dismissed_at is None:
        notice.dismissed_at = utcnow()
    return notice
