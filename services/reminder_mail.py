"""Phases c and d of the reminders (see services/reminders.py): mailing what is owed.

Each message's outcome is recorded and checkpointed before the next is tried, so a
mail server failing halfway leaves the rest pending for the next run. The mails name
the certificate, its dates and verification code only — nothing about anyone's mental
health, since mail crosses servers we do not control.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import Certificate
from models import DigestItem
from models import ExpiryNotice
from models import Person
from models import User
from models.base import utcnow
from services.mail import MailError
from services.mail import send_mail
from services.mail import sender_domain
from services.reminders import Report
from services.reminders import current_threshold
from services.reminders import eligible
from services.scope import covers

#: a holder's reminder is retried on this many runs, then left as failed for good
MAX_ATTEMPTS = 5


def send_notices(as_of: date, report: Report, *, send: bool = True,
                 checkpoint: Callable[[], None]) -> None:
    """Mail every pending or failed holder notice that is still current, one by one."""
    cert = aliased(Certificate)
    due = list(db.session.scalars(
        select(ExpiryNotice.id).join(cert, cert.id == ExpiryNotice.certificate_id)
        .where(ExpiryNotice.mail_status.in_(("pending", "failed")),
               ExpiryNotice.mail_attempts < MAX_ATTEMPTS,
               ExpiryNotice.threshold == current_threshold(cert, as_of), eligible(cert, as_of))
        .order_by(ExpiryNotice.id)))
    for notice_id in due:
        # locked and re-read: a second run at the same time skips what this one sends
        notice = db.session.scalar(
            select(ExpiryNotice).where(ExpiryNotice.id == notice_id,
                                       ExpiryNotice.mail_status.in_(("pending", "failed")))
            .options(joinedload(ExpiryNotice.certificate), joinedload(ExpiryNotice.person))
            .with_for_update(skip_locked=True, of=ExpiryNotice))
        if notice is None:
            continue
        address = holder_address(notice.person)
        if not address:
            report.no_address += 1
            if send:
                notice.mail_status = "none"
                checkpoint()
            continue
        if not send:
            report.sent += 1
            continue
        deliver_notice(notice, address, as_of, report)
        checkpoint()


def deliver_notice(notice: ExpiryNotice, address: str, as_of: date, report: Report) -> None:
    """Send one holder's reminder and record the outcome on the notice."""
    subject, body = render("mail/expiry_notice.txt", **notice_context(notice, as_of))
    notice.mail_attempts += 1
    try:
        send_mail(address, subject, body, message_id=stable_id("notice", notice))
    except MailError as error:
        notice.mail_status, notice.mail_error = "failed", error.message[:1000]
        report.failed += 1
        report.gave_up += notice.mail_attempts >= MAX_ATTEMPTS
        return
    notice.mail_status, notice.mail_error, notice.sent_at = "sent", "", utcnow()
    report.sent += 1


def holder_address(person: Person) -> str | None:
    """The person's own address, else their login's."""
    return person.email or db.session.scalar(select(User.email).where(User.person_id == person.id))


def send_digests(as_of: date, report: Report, *, send: bool = True,
                 checkpoint: Callable[[], None]) -> None:
    """Mail each admin with unsent digest items one message listing them all."""
    user_ids = list(db.session.scalars(
        select(DigestItem.user_id).where(DigestItem.sent_at.is_(None))
        .distinct().order_by(DigestItem.user_id)))
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        if not user.active or not user.email:
            continue
        items = unsent_items(user_id)
        if not items:
            continue
        if not send:
            report.digests_sent += 1
            continue
        subject, body = render("mail/expiry_digest.txt", user=user,
                               rows=digest_rows(user, items, as_of), link=certification_link())
        try:
            send_mail(user.email, subject, body, message_id=stable_id("digest", items[-1]))
        except MailError as error:
            current_app.logger.warning("digest for user %s not sent: %s", user_id, error.message)
            report.digests_failed += 1
            continue
        now = utcnow()
        for item in items:
            item.sent_at = now
        report.digests_sent += 1
        checkpoint()


def unsent_items(user_id: int) -> list[DigestItem]:
    cert = aliased(Certificate)
    return list(db.session.scalars(
        select(DigestItem).join(ExpiryNotice, ExpiryNotice.id == DigestItem.notice_id)
        .join(cert, cert.id == ExpiryNotice.certificate_id)
        .join(Person, Person.id == ExpiryNotice.person_id)
        .where(DigestItem.user_id == user_id, DigestItem.sent_at.is_(None))
        .options(joinedload(DigestItem.notice).joinedload(ExpiryNotice.certificate),
                 joinedload(DigestItem.notice).joinedload(ExpiryNotice.person)
                 .selectinload(Person.assignments).joinedload(Assignment.unit))
        .order_by(cert.expires, Person.number, DigestItem.id)))


@dataclass
class DigestRow:
    name: str
    number: str
    units: str
    program: str
    expires: date
    days_left: int


def digest_rows(user: User, items: list[DigestItem], as_of: date) -> list[DigestRow]:
    """One line per certificate (a notice superseded while unsent is not listed twice)."""
    roots = [g.unit for g in user.grants if g.kind == "admin" and g.unit is not None]
    rows, seen = [], set()
    for item in items:
        cert, person = item.notice.certificate, item.notice.person
        if cert.id in seen:
            continue
        seen.add(cert.id)
        units = sorted({a.unit.name for a in person.assignments
                        if a.is_active(as_of) and any(covers(r, a.unit) for r in roots)})
        rows.append(DigestRow(person.name, person.number, "、".join(units), cert.program.title,
                              cert.expires, (cert.expires - as_of).days))
    return rows


def notice_context(notice: ExpiryNotice, as_of: date) -> dict:
    cert = notice.certificate
    return dict(name=notice.person.name, program=cert.program.title,
                program_en=cert.program.title_en or cert.program.title, expires=cert.expires,
                days_left=(cert.expires - as_of).days, code=cert.code, link=certification_link())


def certification_link() -> str:
    return current_app.config["BASE_URL"] + "/certification"


def stable_id(kind: str, row) -> str:
    """The same Message-ID every time this row is mailed."""
    stamp = row.created_at.strftime("%Y%m%d%H%M%S")
    return f"<shouwang.{kind}.{row.id}.{stamp}@{sender_domain()}>"


def render(template: str, **context) -> tuple[str, str]:
    """A mail template's first line is the subject, the rest the body."""
    subject, _, body = render_template(template, **context).partition("\n")
    return subject.strip(), body.strip("\n") + "\n"
