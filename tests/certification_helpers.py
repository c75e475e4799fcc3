"""Evidence made straight from the models, for the certification tests: programs, module
completions, passed attempts, approved hours and verified qualifications on given days."""
from datetime import date
from datetime import datetime
from datetime import time

from extensions import db
from models import Attempt
from models import HourEntry
from models import Module
from models import ModuleVersion
from models import Program
from models import Progress
from models import Qualification
from models import Quiz


def make_program(code="informant-basic", roles=("dorm_informant",), modules=("silent-dorm",),
                 quizzes=("informant-quiz",), hours=4, qualifications=(), renewal=None,
                 valid_months=12, renew_window_days=60, hours_window_months=12) -> Program:
    program = Program(code=code, title=f"认证{code}", title_en=f"Program {code}", roles=list(roles),
                      requires={"modules": list(modules), "quizzes": list(quizzes), "hours": hours,
                                "qualifications": list(qualifications)},
                      renewal=renewal, valid_months=valid_months,
                      renew_window_days=renew_window_days, hours_window_months=hours_window_months)
    db.session.add(program)
    db.session.commit()
    return program


def make_module(slug="silent-dorm", title="寝室里的沉默", version=1, requires_recompletion=False):
    module = db.session.scalar(db.select(Module).where(Module.slug == slug))
    if module is None:
        module = Module(slug=slug)
        db.session.add(module)
    row = ModuleVersion(module=module, version=version, title=title, source="---\n---\n",
                        requires_recompletion=requires_recompletion)
    db.session.add(row)
    db.session.flush()
    module.current_version_id = row.id
    db.session.commit()
    return row


def complete_module(person, version: ModuleVersion, on: date) -> Progress:
    progress = Progress(person_id=person.id, module_version_id=version.id, section_reached=3,
                        completed_at=datetime.combine(on, time(9)), score=1.0)
    db.session.add(progress)
    db.session.commit()
    return progress


def make_quiz(slug="informant-quiz", title="信息员测验") -> Quiz:
    quiz = Quiz(slug=slug, title=title, roles=["dorm_informant"], questions=[], draw=[])
    db.session.add(quiz)
    db.session.commit()
    return quiz


def pass_quiz(person, quiz: Quiz, on: date, passed: bool = True) -> Attempt:
    attempt = Attempt(person_id=person.id, quiz_id=quiz.id, started_at=datetime.combine(on, time(8)),
                      submitted_at=datetime.combine(on, time(9)), score=1.0 if passed else 0.2,
                      raw_score=1.0, passed=passed)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def add_hours(person, hours: float, on: date, status: str = "approved") -> HourEntry:
    entry = HourEntry(person_id=person.id, date=on, hours=hours, activity="workshop",
                      source="manual", status=status)
    db.session.add(entry)
    db.session.commit()
    return entry


def add_qualification(person, kind="psych_counselor", status="verified", issued_on=None,
                      expires_on=None) -> Qualification:
    row = Qualification(person_id=person.id, type=kind, status=status, issued_on=issued_on,
                        expires_on=expires_on)
    db.session.add(row)
    db.session.commit()
    return row


def make_certificate(person, program: Program, issued: date, revoked: bool = False):
    """A certificate of `program` from `issued`, its expiry from the program."""
    from dateutil.relativedelta import relativedelta

    from models import Certificate
    from services.certificate_codes import new_code

    certificate = Certificate(code=new_code(), person_id=person.id, program_id=program.id,
                              issued=issued, expires=issued + relativedelta(months=program.valid_months))
    if revoked:
        certificate.revoked_at = datetime.combine(issued, time(12))
        certificate.revoke_reason = "资料不实"
    db.session.add(certificate)
    db.session.commit()
    return certificate
