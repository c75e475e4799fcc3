"""The students' mental-health course (S10): teachers log the hours they taught a class,
admins see per class and academic year how far each class is from 32–36 hours.

Who may log hours for a class:
- an admin or trainer whose grant covers the class, or
- a signed-in person holding an active staff role (class teacher, counselor,
  mental-health teacher, subject teacher, … — any role of kind "staff") at the class
  itself, its college or its university: the people who actually teach it.
Auditors read the report and the log but may not write to it.

A wrong entry is removed, not corrected in place: the log records teaching, not a
person's credit, so nobody's standing depends on it. The person who recorded it or an
admin of the class may delete it; the audit log keeps what was deleted, by whom.

The report by class and academic year is in services/course_report.py.
"""
import math
from datetime import date
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Assignment
from models import CourseDelivery
from models import Person
from models import Role
from models import Unit
from models import User
from models.base import utcnow
from services import audit
from services import scope
from services.academic_year import year_bounds
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from services.pagination import Page
from services.pagination import paginate
from services.roster import active_clause

#: the yearly target of the notice (S10)
TARGET_MIN = 32
TARGET_MAX = 36
#: the longest single entry: one teaching day
MAX_HOURS = 8
#: the same lesson recorded again by the same person within this time is a double submit
TWIN_WINDOW = timedelta(minutes=2)
#: nothing taught before this is recorded (and year-1 dates are typing slips)
EARLIEST = date(2000, 1, 1)
MAX_TOPIC = 200
#: grant kinds that may log for any class in their scope (auditors only read)
LOG_KINDS = ("admin", "trainer")


def teaching_units(class_unit: Unit) -> list[int]:
    """The class, its college and its university: where a teacher of the class is placed."""
    return [i for i in (class_unit.id, class_unit.college_id, class_unit.university_id) if i]


def staff_clause(class_unit: Unit, person_id: int, since: date, until: date):
    """EXISTS: the person held a staff role at the class, its college or university at some
    time between `since` and `until`."""
    return exists().where(
        Assignment.person_id == person_id, Assignment.role_id == Role.id, Role.kind == "staff",
        Assignment.unit_id.in_(teaching_units(class_unit)),
        Assignment.start <= until, Assignment.end.is_(None) | (Assignment.end >= since))


def may_log(user: User | None, class_unit: Unit, today: date | None = None) -> bool:
    """Whether `user` may log course hours for the class (see the module docstring)."""
    if user is None or class_unit.kind != "class":
        return False
    if scope.can(user, LOG_KINDS, class_unit):
        return True
    if user.person_id is None:
        return False
    today = today or date.today()
    return bool(db.session.scalar(select(staff_clause(class_unit, user.person_id, today, today))))


def class_for(user: User | None, code: str) -> Unit:
    """The class with `code` if the user may read its log (a reader in scope or one of
    its teachers), else NotFound."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or unit.kind != "class" or not (
            scope.can(user, scope.READ_KINDS, unit) or may_log(user, unit)):
        raise NotFound(_("No such class."))
    return unit


def find_teacher(class_unit: Unit, number: str | None, on: date) -> Person | None:
    """The teacher a form names by number: someone on the staff of the class, its college or
    its university between `on` and today; None for an empty number."""
    number = (number or "").strip()
    if not number:
        return None
    person = db.session.scalar(select(Person).where(
        Person.number == number, staff_clause(class_unit, Person.id, on, date.today())))
    if person is None:
        raise ValidationFailed([_("%(number)s is not on the staff of this class, its college or "
                                  "its university.", number=number)])
    return person


def log_delivery(class_unit: Unit, *, on: date, hours: float, topic: str,
                 teacher: Person | None = None, by: User) -> CourseDelivery:
    """Record that the course was taught to a class; the teacher defaults to the recorder
    when they are on the class's staff."""
    if class_unit.kind != "class":
        raise ValidationFailed([_("Course hours are logged for classes only.")])
    today = date.today()
    if not may_log(by, class_unit, today):
        raise Forbidden(_("You may not log course hours for this class."))
    topic = (topic or "").strip()
    problems = check_entry(on, hours, topic, today)
    if problems:
        raise ValidationFailed(problems)
    if teacher is None and by.person_id is not None and db.session.scalar(
            select(staff_clause(class_unit, by.person_id, on, today))):
        teacher = by.person
    twin = db.session.scalar(select(CourseDelivery).where(
        CourseDelivery.class_id == class_unit.id, CourseDelivery.date == on,
        CourseDelivery.hours == float(hours), CourseDelivery.topic == topic,
        CourseDelivery.recorded_by_id == by.id, CourseDelivery.created_at >= utcnow() - TWIN_WINDOW))
    if twin is not None:  # the same form sent twice (a double click): keep one
        return twin
    delivery = CourseDelivery(class_id=class_unit.id, date=on, hours=float(hours), topic=topic,
                              teacher_id=teacher.id if teacher else None, recorded_by_id=by.id)
    db.session.add(delivery)
    db.session.flush()
    audit.record("course.log", by=by, target=class_unit, delivery=delivery.id,
                 date=on.isoformat(), hours=float(hours), topic=topic,
                 teacher=teacher.number if teacher else None)
    return delivery


def check_entry(on: date | None, hours: float | None, topic: str, today: date) -> list[str]:
    """What is wrong with one entry's date, hours and topic."""
    problems = []
    if on is None:
        problems.append(_("Give the date it was taught."))
    elif on > today:
        problems.append(_("The date %(date)s is in the future.", date=on.isoformat()))
    elif on < EARLIEST:
        problems.append(_("The date %(date)s is too long ago.", date=on.isoformat()))
    if hours is None or not math.isfinite(hours) or not hours > 0 \
            or float(hours) * 2 != int(float(hours) * 2):
        problems.append(_("Hours must be positive, in steps of 0.5."))
    elif hours > MAX_HOURS:
        problems.append(_("At most %(n)d hours per entry.", n=MAX_HOURS))
    if not topic:
        problems.append(_("Give the topic taught."))
    elif len(topic) > MAX_TOPIC:
        problems.append(_("The topic may have at most %(n)d characters.", n=MAX_TOPIC))
    return problems


def may_delete(user: User | None, delivery: CourseDelivery) -> bool:
    """The person who recorded an entry, or an admin of the class, may remove it."""
    if user is None:
        return False
    return delivery.recorded_by_id == user.id or scope.can(user, scope.WRITE_KINDS,
                                                           delivery.class_unit)


def get_delivery(class_unit: Unit, delivery_id: int) -> CourseDelivery:
    delivery = db.session.scalar(select(CourseDelivery).where(
        CourseDelivery.id == delivery_id, CourseDelivery.class_id == class_unit.id))
    if delivery is None:
        raise NotFound(_("No such entry."))
    return delivery


def delete_delivery(delivery: CourseDelivery, *, by: User) -> None:
    """Remove a wrong entry; the audit log keeps its content."""
    if not may_delete(by, delivery):
        raise Forbidden(_("Only the person who recorded this entry or an admin may remove it."))
    audit.record("course.delete", by=by, target=delivery.class_unit, delivery=delivery.id,
                 date=delivery.date.isoformat(), hours=delivery.hours, topic=delivery.topic,
                 teacher=delivery.teacher.number if delivery.teacher else None,
                 recorded_by=delivery.recorded_by_id)
    db.session.delete(delivery)
    db.session.flush()


def class_deliveries(class_unit: Unit, year: int, page=1) -> Page:
    """A page of (delivery, recorder's name) for the class in one academic year, newest first."""
    start, end = year_bounds(year)
    stmt = (select(CourseDelivery, User.name)
            .options(joinedload(CourseDelivery.teacher))
            .outerjoin(User, User.id == CourseDelivery.recorded_by_id)
            .where(CourseDelivery.class_id == class_unit.id, CourseDelivery.date >= start,
                   CourseDelivery.date <= end)
            .order_by(CourseDelivery.date.desc(), CourseDelivery.id.desc()))
    return paginate(stmt, page)


def delivered_hours(class_unit: Unit, year: int) -> float:
    """The course hours the class had in academic year `year`."""
    start, end = year_bounds(year)
    return float(db.session.scalar(select(func.coalesce(func.sum(CourseDelivery.hours), 0.0)).where(
        CourseDelivery.class_id == class_unit.id, CourseDelivery.date >= start,
        CourseDelivery.date <= end)) or 0.0)


def my_classes(user: User, q: str | None = None, page=1) -> Page:
    """A page of the classes where the user holds a staff role at the class, its college or
    its university today: where a teacher without a grant logs hours."""
    from services.unit_tree import text_match

    if user.person_id is None:
        return Page()
    today = date.today()
    placed = (select(Assignment.unit_id).join(Role, Role.id == Assignment.role_id)
              .where(Assignment.person_id == user.person_id, Role.kind == "staff",
                     active_clause(today)))
    stmt = select(Unit).where(Unit.kind == "class", Unit.id.in_(placed) | Unit.college_id.in_(placed)
                              | Unit.university_id.in_(placed)).order_by(Unit.code)
    match = text_match(q, Unit.code, Unit.name)
    if match is not None:
        stmt = stmt.where(match)
    return paginate(stmt, page)
