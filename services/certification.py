"""Certification: evaluating a person's programs, issuing and renewing certificates, revoking.

Every event that can change a person's standing (a module completed, an attempt passed,
hours approved, attendance marked, a qualification verified) ends in `reevaluate(person)`
in the same transaction. Evaluation is idempotent: it issues only when no valid or
upcoming certificate exists (or, when one is due, its renewal), and the unique
(person, program, issued) constraint settles two evaluations racing each other — the
loser's insert rolls back to a savepoint and issues nothing.

Periods: a new certificate starts on the day of evaluation; a renewal starts when the
certificate it renews expires, so renewing early loses no days. Expiry is calendar
arithmetic (`issued + valid_months`); a certificate is valid while issued ≤ day < expires.

Revocation: a revoked certificate is never issued again for its period. A new one may
be issued by a later evaluation, starting that day, only on fresh activity after the
revocation — quizzes passed again, hours dated from then on (see
certification_standing.Standing); a program asking for neither is not issued again
automatically (an admin may load a certificate with `flask certs import`).
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Certificate
from models import Person
from models import Program
from models import User
from models.base import utcnow
from services import audit
from services import scope
from services.certificate_codes import new_code
from services.certification_progress import ProgramProgress  # noqa: F401  (part of the interface)
from services.certification_progress import program_progress  # noqa: F401  (part of the interface)
from services.certification_rules import Evidence
from services.certification_rules import all_programs
from services.certification_rules import check
from services.certification_rules import covering
from services.certification_rules import expiry_of
from services.certification_rules import load_evidence
from services.certification_standing import standing
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed


def reevaluate(person: Person, as_of: date | None = None) -> list[Certificate]:
    """Re-evaluate every program covering one of the person's roles and issue or renew
    certificates whose requirements are met; returns the certificates issued now.
    Called in the same transaction as every event that can change a person's standing."""
    return evaluate_people([person], as_of)


def evaluate_people(people: list[Person], as_of: date | None = None) -> list[Certificate]:
    """`reevaluate` for a batch of people, loading their evidence in a few queries."""
    as_of = as_of or date.today()
    programs = all_programs()
    if not programs or not people:
        return []
    evidence = load_evidence([p.id for p in people], programs, as_of)
    issued = []
    for person in people:
        for program in programs:
            certificate = evaluate_program(person, program, evidence[person.id], as_of)
            if certificate is not None:
                issued.append(certificate)
    return issued


def evaluate_program(person: Person, program: Program, evidence: Evidence,
                     as_of: date) -> Certificate | None:
    """Issue the program's next certificate to the person if it is due and earned."""
    if not covering(program, evidence, as_of):
        return None
    held = evidence.certificates.get(program.id, [])
    where = standing(program, held, as_of)
    if where.mode == "none":
        return None
    requirements = program.requires or {}
    if where.mode == "renew" and program.renewal is not None:
        requirements = program.renewal
    items = check(requirements, program, evidence, as_of, where.since, where.fresh_from)
    if not items or not all(item.done for item in items):  # a program asking nothing never issues
        return None
    if where.fresh_from is not None and not any(i.kind in ("quiz", "hours") for i in items):
        return None  # revoked, and nothing it asks for can be done afresh
    start = where.current.expires if where.mode == "renew" else as_of
    if any(c.issued == start for c in held):  # that period was revoked: never again
        return None
    certificate = Certificate(code=new_code(), person_id=person.id, program_id=program.id,
                              issued=start, expires=expiry_of(start, program), source="evaluated",
                              renews_id=where.current.id if where.mode == "renew" else None)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # a simultaneous evaluation issued this period first
        return None
    held.append(certificate)
    audit.record("certificate.issue", by=None, target=certificate, person=person.number,
                 program=program.code, issued=start.isoformat(),
                 expires=certificate.expires.isoformat(),
                 renews=where.current.code if where.mode == "renew" else None)
    return certificate


def certificate_status(certificate: Certificate, as_of: date | None = None) -> str:
    """valid | expired | revoked | upcoming (a renewal that starts later)."""
    today = as_of or date.today()
    if certificate.revoked_at is not None:
        return "revoked"
    if today < certificate.issued:
        return "upcoming"
    return "valid" if today < certificate.expires else "expired"


def person_certificates(person: Person) -> list[Certificate]:
    """Every certificate the person has ever held, newest first (revoked ones included)."""
    return list(db.session.scalars(select(Certificate).where(
        Certificate.person_id == person.id).order_by(Certificate.issued.desc(), Certificate.id.desc())))


def programs_for_role(role_code: str) -> list[Program]:
    """The programs whose certificates count for holders of the role, by code."""
    return [p for p in all_programs() if role_code in (p.roles or [])]


def revoke_certificate(certificate: Certificate, by: User | None, reason: str) -> Certificate:
    """Revoke for good, with the reason the holder and verifiers will see; audited.

    Outside the admin's scope the certificate does not exist (NotFound); a reader who
    can see the holder but may not change them gets Forbidden.
    """
    number = certificate.person.number
    scope.get_person(by, number, scope.READ_KINDS)
    try:
        scope.get_person(by, number, scope.WRITE_KINDS)
    except NotFound:
        raise Forbidden(_("Only an admin of the holder's unit may revoke a certificate.")) from None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([_("Give the reason for revoking the certificate.")])
    changed = db.session.execute(  # two admins at once: only the first one revokes
        update(Certificate).where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=by.id, revoke_reason=reason)
        .execution_options(synchronize_session=False))
    db.session.refresh(certificate)
    if changed.rowcount != 1:
        raise Conflict(_("This certificate was already revoked."))
    audit.record("certificate.revoke", by=by, target=certificate, person=number,
                 program=certificate.program.code, reason=reason)
    db.session.flush()
    return certificate
