"""Programs and certificates made directly from the models, for the certificate page,
PDF and verification tests (issuing by evaluation is tested with the certification
service)."""
from datetime import date
from datetime import datetime

from dateutil.relativedelta import relativedelta

from extensions import db
from models import Certificate
from models import Program
from services.certificate_codes import new_code


def make_program(code="informant-basic", title="学生信息员基础认证", valid_months=12,
                 **fields) -> Program:
    program = Program(code=code, title=title, roles=["dorm_informant"], requires={},
                      valid_months=valid_months, **fields)
    db.session.add(program)
    db.session.commit()
    return program


def make_certificate(person, program, issued: date, expires: date | None = None,
                     revoked: bool = False, renews: Certificate | None = None) -> Certificate:
    certificate = Certificate(
        code=new_code(), person=person, program=program, issued=issued,
        expires=expires or issued + relativedelta(months=program.valid_months),
        renews_id=renews.id if renews else None)
    if revoked:
        certificate.revoked_at = datetime(2026, 10, 1, 8, 0)
        certificate.revoke_reason = "资料造假"
    db.session.add(certificate)
    db.session.commit()
    return certificate
