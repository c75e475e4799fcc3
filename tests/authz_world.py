"""The small world the authorization matrix runs in, built once: province › university U ›
colleges CA and CB, each with a class, a dorm, a learner and one of every object.

Side "A" holds the objects of college CA (and of the learner, PA); side "B" those of CB
(and of PB, who has a login but is not one of the matrix's identities). Objects that a
successful request would consume (a grant removed, an entry withdrawn, a session
cancelled…) are made fresh for each request by FRESH, which also says whether the
object came through a refused request untouched.
"""
import io
import secrets
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import ApiToken
from models import Assignment
from models import Attendance
from models import Certificate
from models import CourseDelivery
from models import ExpiryNotice
from models import Grant
from models import HourEntry
from models import Person
from models import Program
from models import Progress
from models import Qualification
from models import QualificationType
from models import Quiz
from models import Role
from models import TrainingSession
from models import Unit
from models import User
from models.base import utcnow
from services import accounts
from services import attempts
from services import training
from services import units as unit_service
from services.certificate_codes import new_code
from services.content import sync_directory
from services.evidence import store_evidence
from services.module_source import load_version
from tests.conftest import CONTENT
from tests.conftest import PASSWORD

SIDES = ("A", "B")
#: identity → (grant kind, side of the unit it is on) — None for no grant
IDENTITIES = {
    "anonymous": None,
    "learner": None,
    "trainer_a": ("trainer", "A"),
    "admin_a": ("admin", "A"),
    "admin_b": ("admin", "B"),
    "auditor_a": ("auditor", "A"),
    "superadmin": ("superadmin", None),
}
QUIZ = "informant-recognition"
MODULE = "informant-basics"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
#: words only side B's records hold (their names), to spot them on a page
B_MARKERS = ("学院B", "班级B", "寝室B", "学生B", "工作坊CB", "learner-b@")


@dataclass
class World:
    #: side → what a URL parameter is filled with (see tests/authz_expectations.py PARAMS)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    #: identity → login email (anonymous has none)
    emails: dict[str, str] = field(default_factory=dict)
    #: identity → API bearer token
    tokens: dict[str, str] = field(default_factory=dict)


def email_of(identity: str) -> str:
    return f"{identity.replace('_', '-')}@authz.edu.cn"


def build_world() -> World:
    sync_directory(CONTENT)
    today = date.today()
    program = db.session.scalar(select(Program).where(Program.code == "informant-basic"))
    informant = db.session.scalar(select(Role).where(Role.code == "dorm_informant"))
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == QUIZ))
    kind = db.session.scalar(select(QualificationType.code).order_by(QualificationType.code))
    province = unit_service.create_unit("P", "示范省", "province")
    uni = unit_service.create_unit("U", "示范大学", "university", province)
    world = World()
    for side in SIDES:
        college = unit_service.create_unit(f"C{side}", f"学院{side}", "college", uni)
        klass = unit_service.create_unit(f"K{side}", f"班级{side}", "class", college)
        dorm = unit_service.create_unit(f"D{side}", f"寝室{side}", "dorm", klass)
        person = Person(number=f"P{side}", name=f"学生{side}")
        assignment = Assignment(person=person, role=informant, unit=dorm,
                                start=today - timedelta(days=365))
        db.session.add_all([person, assignment])
        db.session.flush()
        user = accounts.create_user(f"learner-{side.lower()}@authz.edu.cn", f"学生{side}", PASSWORD,
                                    person_number=person.number)
        if side == "A":
            world.emails["learner"] = user.email
            world.tokens["learner"] = accounts.create_token(user, "matrix")
            read_up_to_decision(person)
        certificate = Certificate(code=new_code(), person=person, program=program,
                                  issued=today - timedelta(days=30),
                                  expires=today + timedelta(days=20))
        db.session.add(certificate)
        db.session.flush()
        notice = ExpiryNotice(certificate_id=certificate.id, person_id=person.id, threshold=30)
        attempt = attempts.start_attempt(person, quiz)
        attempts.submit_attempt(attempt)
        evidence = store_evidence(io.BytesIO(PNG), "proof.png", person)
        entry = HourEntry(person_id=person.id, date=today - timedelta(days=3), hours=2.0,
                          activity="workshop", source="manual", status="pending",
                          evidence_id=evidence.id)
        qualification = Qualification(person_id=person.id, type=kind, issuer="卫健委",
                                      number=f"Q-{side}", issued_on=today - timedelta(days=90))
        delivery = CourseDelivery(class_id=klass.id, date=today - timedelta(days=2), hours=1.0,
                                  topic="认识情绪")
        upcoming = make_session(college, utcnow() + timedelta(days=1))
        past = make_session(college, utcnow() - timedelta(days=2))
        db.session.add_all([notice, entry, qualification, delivery])
        db.session.flush()
        db.session.add(Attendance(session_id=past.id, person_id=person.id,
                                  present_at=past.starts_at, method="list"))
        world.values[side] = {
            "college": college.code, "klass": klass.code, "person": person.number,
            "certificate": certificate.code, "notice": notice.id, "attempt": attempt.id,
            "entry": entry.id, "evidence": evidence.id, "qualification": qualification.id,
            "delivery": delivery.id, "session": upcoming.id, "past_session": past.id,
            "assignment": assignment.id, "quiz_of_attempt": QUIZ,
        }
    for identity, grant in IDENTITIES.items():
        if grant is None:
            continue
        kind_, side = grant
        user = accounts.create_user(email_of(identity), identity, PASSWORD,
                                    grant=(kind_, f"C{side}" if side else None))
        world.emails[identity] = user.email
        world.tokens[identity] = accounts.create_token(user, "matrix")
    spare = accounts.create_user("spare@authz.edu.cn", "备用", PASSWORD)
    invited = accounts.create_user("invited@authz.edu.cn", "受邀", PASSWORD)
    activation = accounts.issue_activation(invited, 7)
    db.session.execute(CourseDelivery.__table__.update().values(recorded_by_id=spare.id))
    world.values["A"].update(module=MODULE, quiz=QUIZ, question="duty-001", decision="medicine",
                             language="en", template="units", static="css/app.css",
                             activation=activation, checkin="not-the-code", index=1)
    world.values["B"].update(module="no-such-module", quiz="no-such-quiz",
                             question="no-such-question", decision="medicine", language="xx",
                             template="nope", static="css/nope.css", activation="not-a-token",
                             checkin="not-the-code", index=1)
    db.session.commit()
    return world


def read_up_to_decision(person: Person) -> None:
    """The learner has read the module up to its first decision, so may answer it."""
    version = training.get_module(MODULE).current
    section = training.decision_sections(load_version(version))["medicine"]
    db.session.add(Progress(person_id=person.id, module_version_id=version.id,
                            section_reached=section))


def make_session(unit: Unit, starts_at: datetime) -> TrainingSession:
    session = TrainingSession(unit=unit, title=f"工作坊{unit.code}", starts_at=starts_at,
                              ends_at=starts_at + timedelta(hours=2), hours=2.0, roles=[],
                              checkin_secret=secrets.token_urlsafe(32))
    db.session.add(session)
    db.session.flush()
    return session


def person_of(side: str) -> Person:
    return db.session.scalar(select(Person).where(Person.number == f"P{side}"))


def unit_of(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def fresh_grant(world: World, side: str, identity: str):
    spare = db.session.scalar(select(User).where(User.email == "spare@authz.edu.cn"))
    grant = accounts.add_grant(spare, "auditor", f"C{side}")
    db.session.commit()
    ident = grant.id
    return ident, lambda: db.session.get(Grant, ident) is not None


def fresh_entry(world: World, side: str, identity: str):
    entry = HourEntry(person_id=person_of(side).id, date=date.today(), hours=1.0,
                      activity="workshop", source="manual", status="pending")
    db.session.add(entry)
    db.session.commit()
    ident = entry.id
    return ident, lambda: db.session.get(HourEntry, ident).status == "pending"


def fresh_qualification(world: World, side: str, identity: str):
    row = db.session.get(Qualification, world.values[side]["qualification"])
    copy = Qualification(person_id=row.person_id, type=row.type, issuer=row.issuer,
                         number=secrets.token_hex(4), issued_on=row.issued_on)
    db.session.add(copy)
    db.session.commit()
    ident = copy.id
    return ident, lambda: db.session.get(Qualification, ident) is not None


def fresh_delivery(world: World, side: str, identity: str):
    row = db.session.get(CourseDelivery, world.values[side]["delivery"])
    copy = CourseDelivery(class_id=row.class_id, date=row.date, hours=row.hours,
                          topic=secrets.token_hex(4), recorded_by_id=row.recorded_by_id)
    db.session.add(copy)
    db.session.commit()
    ident = copy.id
    return ident, lambda: db.session.get(CourseDelivery, ident) is not None


def fresh_session(world: World, side: str, identity: str):
    session = make_session(unit_of(f"C{side}"), utcnow() + timedelta(days=1))
    db.session.commit()
    ident = session.id
    return ident, lambda: db.session.get(TrainingSession, ident).cancelled_at is None


def fresh_token(world: World, side: str, identity: str):
    """Side A: a token of the caller's own (the learner's for anonymous); B: PB's."""
    email = world.emails.get(identity, world.emails["learner"]) if side == "A" \
        else "learner-b@authz.edu.cn"
    user = db.session.scalar(select(User).where(User.email == email))
    accounts.create_token(user, "fresh")
    db.session.commit()
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)
                            .order_by(ApiToken.id.desc()))
    ident = row.id
    return ident, lambda: db.session.get(ApiToken, ident).revoked_at is None


#: value keys made anew for every request, as (value, intact()) pairs
FRESH = {"fresh_grant": fresh_grant, "fresh_entry": fresh_entry,
         "fresh_qualification": fresh_qualification, "fresh_delivery": fresh_delivery,
         "fresh_session": fresh_session, "fresh_token": fresh_token}
