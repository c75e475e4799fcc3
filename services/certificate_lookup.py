"""Finding a certificate by its code: what the public may know of it, and who may read
or revoke it in full.

The public answer (SPEC §7) has only three statuses. A renewal that starts later
(`upcoming`) continues a certificate the person still holds, so it answers `valid`
while that one is valid; an upcoming certificate with nothing valid before it
(its predecessor was revoked, or it was imported with a future date) is not valid on
that day and answers `expired`, the status that says "not valid on this date" — the
verifier sees `issued` in the future, and the page says "not yet valid".
"""
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists
from sqlalchemy import select

from extensions import db
from models import Certificate
from models import Person
from models import Program
from models import User
from services import scope
from services.certificate_codes import normalise_code
from services.certification import certificate_status
from services.errors import Forbidden
from services.errors import NotFound
from services.masking import mask_name

PUBLIC_STATUSES = ("valid", "expired", "revoked")


def find_certificate(code: str) -> Certificate:
    """The certificate with `code` as typed (any case, dashes optional), else NotFound."""
    normalised = normalise_code(code)
    certificate = None
    if normalised:
        certificate = db.session.scalar(select(Certificate).where(Certificate.code == normalised))
    if certificate is None:
        raise NotFound(_("No certificate has this code."))
    return certificate


def holds_valid_certificate(person_id: int, program_id: int, as_of: date) -> bool:
    """Whether the person holds an unrevoked certificate of the program valid on `as_of`."""
    return bool(db.session.scalar(select(exists().where(
        Certificate.person_id == person_id, Certificate.program_id == program_id,
        Certificate.revoked_at.is_(None), Certificate.issued <= as_of,
        Certificate.expires > as_of))))


def public_status(certificate: Certificate, as_of: date | None = None) -> str:
    """valid | expired | revoked, as the verification page and API answer it."""
    on = as_of or date.today()
    status = certificate_status(certificate, on)
    if status == "upcoming":
        bridged = holds_valid_certificate(certificate.person_id, certificate.program_id, on)
        return "valid" if bridged else "expired"
    return status


def public_record(certificate: Certificate, as_of: date | None = None) -> dict:
    """Exactly the fields SPEC §7 publishes; `program` is the program's code."""
    return {
        "status": public_status(certificate, as_of),
        "program": certificate.program.code,
        "holder": mask_name(certificate.person.name),
        "issued": certificate.issued.isoformat(),
        "expires": certificate.expires.isoformat(),
    }


def issuing_body(program: Program) -> str:
    """The body printed on the certificate: the program's own, else the ISSUER setting."""
    return program.issuer or current_app.config["ISSUER"]


def readable_certificate(user: User, code: str) -> Certificate:
    """The certificate if `user` holds it or reads its holder's units, else NotFound."""
    certificate = find_certificate(code)
    if user.person_id is not None and user.person_id == certificate.person_id:
        return certificate
    if not in_scope(user, certificate, scope.READ_KINDS):
        raise NotFound(_("No certificate has this code."))
    return certificate


def revocable_certificate(user: User, code: str) -> Certificate:
    """The certificate if `user` administers its holder; readers get Forbidden."""
    certificate = readable_certificate(user, code)
    if not in_scope(user, certificate, scope.WRITE_KINDS):
        raise Forbidden(_("Only an admin of the holder's unit may revoke a certificate."))
    return certificate


def in_scope(user: User, certificate: Certificate, kinds: tuple[str, ...]) -> bool:
    """Whether a grant of `kinds` covers one of the holder's assignments (one query)."""
    return bool(db.session.scalar(select(exists().where(
        Person.id == certificate.person_id, scope.person_filter(user, kinds)))))


def program_history(certificate: Certificate) -> list[Certificate]:
    """The holder's certificates of the same program, newest first: the renewal chain."""
    return list(db.session.scalars(select(Certificate).where(
        Certificate.person_id == certificate.person_id,
        Certificate.program_id == certificate.program_id,
    ).order_by(Certificate.issued.desc(), Certificate.id.desc())))
