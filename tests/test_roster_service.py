"""Rules of the roster: students(U), required roles and vacancies, and assignment changes."""
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Assignment
from models import AuditEvent
from models import Unit
from services import roster
from services import staffing
from services.errors import Conflict
from services.errors import DomainError
from services.errors import Forbidden
from services.errors import NotFound
from services.pagination import paginate
from services.pagination import paginate_list

ON = date(2026, 10, 1)


@pytest.fixture
def tree(make_unit, roles):
    """U1 › C1 (counts from below) › K1 (30), K2 (counts from dorms D1 4, D2 5); U1 › C2 (100) › K3 (30)."""
    u1 = make_unit("U1")
    c1 = make_unit("C1", "college", u1)
    c2 = make_unit("C2", "college", u1, students=100)
    k1 = make_unit("K1", "class", c1, students=30)
    k2 = make_unit("K2", "class", c1)
    k3 = make_unit("K3", "class", c2, students=30)
    d1 = make_unit("D1", "dorm", k2, students=4)
    d2 = make_unit("D2", "dorm", k2, students=5)
    d3 = make_unit("D3", "dorm", k1, students=6)
    b1 = make_unit("B1", "building", u1)
    return {u.code: u for u in (u1, c1, c2, k1, k2, k3, d1, d2, d3, b1)}


def staffing_of(unit, **kwargs):
    return {row.role.code: row for row in staffing.unit_staffing(unit, ON, **kwargs)}


def test_students_come_from_the_nearest_counted_units(tree):
    # K1's own 30 hides its dorm's 6; C2's own 100 hides K3's 30.
    assert staffing.unit_students(tree["K2"]) == 9
    assert staffing.unit_students(tree["C1"]) == 30 + 9
    assert staffing.unit_students(tree["U1"]) == 30 + 9 + 100
    assert staffing.unit_students(tree["C2"]) == 100
    assert staffing.unit_students(tree["B1"]) == 0


@pytest.mark.parametrize("students, required", [(None, 1), (0, 1), (200, 1), (201, 2), (450, 3)])
def test_counselors_follow_the_per_students_ratio(make_unit, roles, students, required):
    college = make_unit("C", "college", make_unit("U"), students=students)
    rows = staffing_of(college)
    assert rows["counselor"].required == required
    assert rows["college_psych_officer"].required == 1


def test_university_teachers_are_at_least_two(tree, make_unit):
    assert staffing_of(tree["U1"])["mh_teacher"].required == 2  # 139 students
    big = make_unit("U2", students=9000)
    assert staffing_of(big)["mh_teacher"].required == 3


def test_vacancies_count_only_active_holders_at_the_unit_itself(tree, make_person):
    k1 = tree["K1"]
    make_person("S1", role="class_psych_member", unit=k1)
    make_person("S2", role="class_psych_member", unit=k1)
    make_person("S3", role="class_teacher", unit=k1, end=date(2026, 9, 30))  # ended
    make_person("S4", role="class_teacher", unit=k1, start=date(2026, 12, 1))  # not yet
    make_person("S5", role="class_teacher", unit=tree["K2"])  # another class
    rows = staffing_of(k1)
    assert list(rows) == ["class_psych_member", "class_teacher"]
    assert (rows["class_psych_member"].assigned, rows["class_psych_member"].vacancies) == (2, 0)
    assert [p.number for p in rows["class_psych_member"].holders] == ["S1", "S2"]
    assert (rows["class_teacher"].assigned, rows["class_teacher"].vacancies) == (0, 1)


def test_a_person_holding_a_role_again_counts_once(tree, make_person):
    make_person("S1", role="dorm_informant", unit=tree["D1"], end=date(2026, 9, 10))
    make_person("S1", role="dorm_informant", unit=tree["D1"], start=date(2026, 9, 11))
    assert staffing_of(tree["D1"])["dorm_informant"].assigned == 1


def test_the_database_refuses_two_open_assignments_of_one_role_at_one_unit(tree, make_person):
    make_person("S1", role="dorm_informant", unit=tree["D1"])
    with pytest.raises(IntegrityError):
        make_person("S1", role="dorm_informant", unit=tree["D1"], start=date(2026, 9, 15))
    db.session.rollback()


def events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def test_assign_role_creates_and_audits(tree, roles, make_person, make_user):
    admin = make_user("admin@example.edu.cn", grant=("admin", "C1"))
    person = make_person("S1")
    assignment = roster.assign_role(person, roles["class_teacher"], tree["K1"], ON, by=admin)
    assert (assignment.start, assignment.end) == (ON, None)
    [event] = events("assignment.created")
    assert event.actor_id == admin.id and event.target_id == str(assignment.id)
    assert event.detail == {"person": "S1", "role": "class_teacher", "unit": "K1",
                            "start": "2026-10-01"}


def test_the_same_role_twice_is_refused(tree, roles, make_person):
    person = make_person("S1")
    roster.assign_role(person, roles["class_teacher"], tree["K1"], ON, by=None)
    with pytest.raises(Conflict):
        roster.assign_role(person, roles["class_teacher"], tree["K1"], date(2027, 1, 1), by=None)
    # Another role, or another unit, is fine.
    roster.assign_role(person, roles["class_psych_member"], tree["K1"], ON, by=None)
    roster.assign_role(person, roles["class_teacher"], tree["K2"], ON, by=None)
    assert db.session.scalar(select(db.func.count(Assignment.id))) == 3


def test_a_new_term_after_the_last_one_ended_is_allowed(tree, roles, make_person):
    person = make_person("S1", role="class_teacher", unit=tree["K1"], end=date(2026, 9, 30))
    with pytest.raises(Conflict):
        roster.assign_role(person, roles["class_teacher"], tree["K1"], date(2026, 9, 30), by=None)
    roster.assign_role(person, roles["class_teacher"], tree["K1"], ON, by=None)
    assert len(person.assignments) == 2


def test_end_keeps_the_assignment_and_audits(tree, roles, make_person, make_user):
    admin = make_user("admin@example.edu.cn", grant=("superadmin", None))
    person = make_person("S1", role="class_teacher", unit=tree["K1"])
    [assignment] = person.assignments
    roster.end_assignment(assignment, ON, by=admin)
    db.session.commit()
    assert db.session.get(Assignment, assignment.id).end == ON
    assert events("assignment.ended")[0].detail["end"] == "2026-10-01"
    assert staffing_of(tree["K1"])["class_teacher"].assigned == 1  # still active on ON itself
    with pytest.raises(Conflict):
        roster.end_assignment(assignment, ON, by=admin)
    assert len(events("assignment.ended")) == 1


def test_end_before_start_is_refused(tree, make_person):
    person = make_person("S1", role="class_teacher", unit=tree["K1"], start=ON)
    with pytest.raises(DomainError):
        roster.end_assignment(person.assignments[0], date(2026, 9, 1), by=None)
    assert person.assignments[0].end is None


def test_update_checks_dates_overlaps_and_audits_changes_only(tree, make_person):
    person = make_person("S1", role="class_teacher", unit=tree["K1"], end=date(2026, 9, 20))
    make_person("S1", role="class_teacher", unit=tree["K1"], start=ON)
    first, second = person.assignments
    with pytest.raises(DomainError):
        roster.update_assignment(first, date(2026, 9, 1), date(2026, 8, 1), by=None)
    with pytest.raises(Conflict):
        roster.update_assignment(first, date(2026, 9, 1), None, by=None)  # would overlap
    roster.update_assignment(first, date(2026, 9, 1), date(2026, 9, 20), by=None)
    assert events("assignment.updated") == []
    roster.update_assignment(first, date(2026, 8, 25), date(2026, 9, 30), by=None)
    [event] = events("assignment.updated")
    assert event.detail["start"] == "2026-08-25" and event.detail["was_start"] == "2026-09-01"
    assert (first.start, first.end, second.end) == (date(2026, 8, 25), date(2026, 9, 30), None)


def test_only_admins_of_the_unit_may_change_it(tree, roles, make_person, make_user):
    person = make_person("S1")
    auditor = make_user("auditor@example.edu.cn", grant=("auditor", "U1"))
    other = make_user("other@example.edu.cn", grant=("admin", "C2"))
    with pytest.raises(Forbidden):
        roster.assign_role(person, roles["class_teacher"], tree["K1"], ON, by=auditor)
    with pytest.raises(NotFound):
        roster.assign_role(person, roles["class_teacher"], tree["K1"], ON, by=other)
    assert db.session.scalar(select(db.func.count(Assignment.id))) == 0


def test_search_people_stays_in_scope(tree, make_person, make_user):
    make_person("2026001", name="王小明", role="class_psych_member", unit=tree["K1"])
    make_person("2026002", name="王大明", role="class_psych_member", unit=tree["K3"])
    make_person("T100", name="Li Wang", role="counselor", unit=tree["C1"])
    admin = make_user("admin@example.edu.cn", grant=("admin", "C1"))
    numbers = [p.number for p in roster.search_people(admin, "", 1).items]
    assert numbers == ["2026001", "T100"]
    assert [p.number for p in roster.search_people(admin, "王", 1).items] == ["2026001"]
    assert [p.number for p in roster.search_people(admin, "t1", 1).items] == ["T100"]
    assert [p.number for p in roster.search_people(admin, "wang", 1).items] == ["T100"]
    assert roster.search_people(admin, "%", 1).total == 0


@pytest.mark.parametrize("raw, number", [("abc", 1), (0, 1), ("-3", 1), ("2", 2), (99999, 3),
                                         (None, 1), ("9" * 40, 3)])
def test_page_numbers_are_clamped(tree, raw, number):
    page = paginate(select(Unit.code).order_by(Unit.code), raw, per_page=4)
    assert (page.total, page.pages, page.number) == (10, 3, number)
    assert len(page.items) == (2 if number == 3 else 4)
    assert paginate_list(list(range(10)), raw, per_page=4).number == number


def test_an_empty_result_is_one_empty_page(app):
    page = paginate(select(Assignment), "7")
    assert (page.items, page.total, page.pages, page.number) == ([], 0, 1, 1)
