"""External professional qualifications (S9): a person records one with its evidence,
an admin whose scope holds the person verifies or rejects it, and programs count the
verified, unexpired types (`verified_types`, for `requires.qualifications`).

A pending record can be withdrawn by its owner; reviewed ones stay, as history.
"""
from datetime import date
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Qualification
from models import QualificationType
from models import User
from models.base import utcnow
from models.org import Person
from services import audit
from services import certification
from services import scope
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from services.evidence import evidence_path
from services.evidence import store_evidence

ISSUER_MAX = 200
NUMBER_MAX = 100
REASON_MAX = 2000
#: issue dates before this are typing mistakes, not qualifications
EARLIEST = date(1950, 1, 1)


def type_labels(locale: str) -> dict[str, str]:
    """Every qualification type's name in the reader's language, by code, in catalogue
    order (one query)."""
    english = locale.startswith("en")
    rows = db.session.scalars(select(QualificationType).order_by(QualificationType.id))
    return {t.code: t.name_en if english and t.name_en else t.name for t in rows}


def record_qualification(person: Person, *, type_code: str, issuer: str, number: str,
                         issued_on: date | None, expires_on: date | None,
                         evidence: tuple[BinaryIO, str] | None = None,
                         by: User | None) -> Qualification:
    """Record a qualification the person holds, pending an admin's review.

    The person records their own; an admin whose scope holds them may record it for
    them. Raises ValidationFailed with every problem at once.
    """
    if by is None or by.person_id != person.id:
        scope.get_person(by, person.number, scope.WRITE_KINDS)
    issuer, number = (issuer or "").strip(), (number or "").strip()
    problems = []
    if db.session.scalar(select(QualificationType.id).where(QualificationType.code == type_code)) is None:
        problems.append(_("Choose a qualification type from the list."))
    if not issuer:
        problems.append(_("Enter the issuing body."))
    elif len(issuer) > ISSUER_MAX:
        problems.append(_("The issuing body is longer than %(max)d characters.", max=ISSUER_MAX))
    if not number:
        problems.append(_("Enter the certificate number."))
    elif len(number) > NUMBER_MAX:
        problems.append(_("The certificate number is longer than %(max)d characters.", max=NUMBER_MAX))
    problems.extend(date_problems(issued_on, expires_on))
    if problems:
        raise ValidationFailed(problems)
    if duplicate_of(person, type_code, number) is not None:
        raise Conflict(_("This qualification is already recorded."))
    stored = store_evidence(evidence[0], evidence[1], person, by) if evidence else None
    qualification = Qualification(person_id=person.id, type=type_code, issuer=issuer,
                                  number=number, issued_on=issued_on, expires_on=expires_on,
                                  evidence_id=stored.id if stored else None)
    db.session.add(qualification)
    db.session.flush()
    audit.record("qualification.record", by=by, target=("qualification", qualification.id),
                 person=person.number, type=type_code)
    return qualification


def date_problems(issued_on: date | None, expires_on: date | None) -> list[str]:
    """What is wrong with a qualification's dates, if anything."""
    if issued_on is None:
        return [_("Enter the date of issue.")]
    problems = []
    if issued_on > date.today():
        problems.append(_("The date of issue cannot be in the future."))
    elif issued_on < EARLIEST:
        problems.append(_("The date of issue is too far in the past."))
    if expires_on is not None and expires_on <= issued_on:
        problems.append(_("The expiry date must be after the date of issue."))
    return problems


def duplicate_of(person: Person, type_code: str, number: str) -> Qualification | None:
    """A pending or verified record of the same certificate (a resubmitted form)."""
    return db.session.scalar(select(Qualification).where(
        Qualification.person_id == person.id, Qualification.type == type_code,
        Qualification.number == number, Qualification.status.in_(("pending", "verified"))))


def get_qualification(qualification_id: int) -> Qualification:
    """The qualification with this id; callers check who may act on it."""
    qualification = db.session.get(Qualification, qualification_id)
    if qualification is None:
        raise NotFound(_("No such qualification."))
    return qualification


def review_qualification(qualification: Qualification, *, verify: bool, reason: str,
                         by: User | None) -> Qualification:
    """Verify or reject a pending qualification; a rejection says why.

    Only an admin whose scope holds the person may; a reader who can see them gets
    Forbidden, anyone else NotFound. Nobody reviews their own.
    """
    person = qualification.person
    require_admin_of(person, by)
    if by.person_id == person.id:
        raise Forbidden(_("You cannot review your own qualification."))
    if qualification.status != "pending":
        raise Conflict(_("This qualification has already been reviewed."))
    reason = (reason or "").strip()
    if not verify and not reason:
        raise ValidationFailed([_("Give a reason for the rejection.")])
    if len(reason) > REASON_MAX:
        raise ValidationFailed([_("The reason is longer than %(max)d characters.", max=REASON_MAX)])
    qualification.status = "verified" if verify else "rejected"
    qualification.reviewed_by_id = by.id
    qualification.reviewed_at = utcnow()
    qualification.review_reason = reason
    db.session.flush()
    audit.record("qualification.verify" if verify else "qualification.reject", by=by,
                 target=("qualification", qualification.id), person=person.number,
                 type=qualification.type, reason=reason or None)
    if verify:
        certification.reevaluate(person)
    return qualification


def require_admin_of(person: Person, by: User | None) -> None:
    """NotFound unless `by` may read the person; Forbidden unless they may also change them."""
    try:
        scope.get_person(by, person.number, scope.WRITE_KINDS)
    except NotFound:
        scope.get_person(by, person.number, scope.READ_KINDS)
        raise Forbidden(_("Only an admin of the person's unit can review qualifications.")) from None


def withdraw_qualification(qualification: Qualification, *, by: User | None) -> None:
    """Delete the owner's own pending record and its evidence file."""
    if by is None or by.person_id != qualification.person_id:
        raise NotFound(_("No such qualification."))
    if qualification.status != "pending":
        raise Conflict(_("Only a qualification awaiting review can be withdrawn."))
    evidence = qualification.evidence
    audit.record("qualification.withdraw", by=by, target=("qualification", qualification.id),
                 person=qualification.person.number, type=qualification.type)
    db.session.delete(qualification)
    db.session.flush()
    if evidence is not None:
        path = evidence_path(evidence)
        db.session.delete(evidence)
        db.session.flush()
        path.unlink(missing_ok=True)


def verified_types(person: Person, as_of: date | None = None) -> set[str]:
    """The type codes the person holds verified on `as_of`: issued ≤ day < expires."""
    day = as_of or date.today()
    return set(db.session.scalars(select(Qualification.type).where(
        Qualification.person_id == person.id, Qualification.status == "verified",
        Qualification.issued_on <= day,
        Qualification.expires_on.is_(None) | (Qualification.expires_on > day))))

