"""`flask demo load` and `flask demo generate`: the demo university and synthetic provinces."""
from datetime import date

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased

from extensions import db
from models import Assignment
from models import Person
from models import Role
from models import StaffingRule
from models import Unit
from models import User
from services.demo_load import DEMO_PASSWORD
from services.roster import active_clause
from tests.conftest import AuthActions
from tests.conftest import empty_tables

LOGINS = ("admin@demo.edu.cn", "trainer@demo.edu.cn", "college-admin@demo.edu.cn",
          "informant@demo.edu.cn")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def holders(role: str, kind: str) -> dict[str, int]:
    """Active holders of `role` per unit of `kind`, units without any included as 0."""
    on = date.today()
    held = (select(Assignment.unit_id, func.count(Assignment.id).label("n"))
            .join(Role).where(Role.code == role, active_clause(on))
            .group_by(Assignment.unit_id).subquery())
    rows = db.session.execute(select(Unit.code, func.coalesce(held.c.n, 0))
                              .outerjoin(held, held.c.unit_id == Unit.id)
                              .where(Unit.kind == kind))
    return dict(rows.all())


def test_demo_load_prints_the_four_logins(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    for email in LOGINS:
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    users = {u.email: u for u in db.session.scalars(select(User))}
    assert set(users) == set(LOGINS)
    assert all(u.is_demo and u.must_change_password for u in users.values())
    grants = {email: [(g.kind, g.unit.code if g.unit else None) for g in u.grants]
              for email, u in users.items()}
    assert grants["admin@demo.edu.cn"] == [("superadmin", None)]
    assert grants["trainer@demo.edu.cn"] == [("trainer", "DEMO-U")]
    [(kind, college)] = grants["college-admin@demo.edu.cn"]
    assert kind == "admin"
    assert db.session.scalar(select(Unit.kind).where(Unit.code == college)) == "college"
    informant = users["informant@demo.edu.cn"]
    assert "dorm_informant" in {a.role.code for a in informant.person.assignments}


def test_demo_login_must_choose_a_new_password(runner, client):
    runner.invoke(args=["demo", "load"])
    auth = AuthActions(client)
    assert auth.login("informant@demo.edu.cn", DEMO_PASSWORD).headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/password"


def test_demo_university_has_every_required_role_and_some_vacancies(runner):
    runner.invoke(args=["demo", "load"])
    kinds = dict(db.session.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all())
    assert kinds == {"university": 1, "college": 4, "class": 12, "dorm": 60, "building": 2}
    for rule in db.session.scalars(select(StaffingRule)):
        assert sum(holders(rule.role.code, rule.unit_kind).values()) > 0, rule.role.code
    for extra in ("political_staff", "subject_teacher"):
        assert sum(holders(extra, "college").values()) > 0
    assert list(holders("dorm_informant", "dorm").values()).count(0) == 3
    assert list(holders("class_psych_member", "class").values()).count(0) == 1
    assert list(holders("counselor", "college").values()).count(0) == 1
    assert all(n == 1 for n in holders("class_teacher", "class").values())
    sizes = db.session.scalars(select(Unit.students).where(Unit.kind == "class")).all()
    assert all(24 <= n <= 36 for n in sizes)


def test_demo_load_if_empty_is_idempotent(runner):
    runner.invoke(args=["demo", "load", "--if-empty"])
    before = [count(m) for m in (Unit, Person, Assignment, User)]
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert "informant@demo.edu.cn" in result.output
    assert [count(m) for m in (Unit, Person, Assignment, User)] == before


def test_demo_load_twice_without_if_empty_fails_cleanly(runner):
    runner.invoke(args=["demo", "load"])
    units = count(Unit)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "already loaded" in result.stderr
    assert count(Unit) == units


def province_snapshot() -> tuple:
    parent = aliased(Unit)
    units = db.session.execute(
        select(Unit.code, Unit.name, Unit.kind, Unit.students, parent.code)
        .outerjoin(parent, parent.id == Unit.parent_id).order_by(Unit.code)).all()
    people = db.session.execute(
        select(Person.number, Person.name, Role.code, Unit.code, Assignment.start)
        .join(Assignment, Assignment.person_id == Person.id).join(Role).join(Unit)
        .order_by(Person.number, Role.code, Unit.code)).all()
    return units, people


def test_generate_builds_every_kind_with_right_ancestors(runner):
    result = runner.invoke(args=["demo", "generate", "--students", "3000", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "3000 students" in result.output
    kinds = dict(db.session.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all())
    assert set(kinds) == {"province", "university", "college", "class", "dorm", "building"}
    assert kinds["province"] == 1
    assert 90 <= kinds["class"] <= 115
    parent = aliased(Unit)
    pairs = db.session.execute(select(Unit, parent).join(parent, parent.id == Unit.parent_id)).all()
    for unit, up in pairs:
        assert unit.province_id == up.province_id
        if unit.kind == "university":
            assert (up.kind, unit.university_id, unit.college_id) == ("province", unit.id, None)
            continue
        assert unit.university_id == up.university_id
        if unit.kind == "dorm":
            assert (unit.college_id, unit.class_id) == (up.college_id, up.id)
        elif unit.kind == "class":
            assert (unit.college_id, unit.class_id) == (up.id, unit.id)
        elif unit.kind == "college":
            assert (unit.college_id, unit.class_id) == (unit.id, None)
        else:
            assert (unit.kind, unit.college_id, unit.class_id) == ("building", None, None)
    assert all(u.university_id == u.id for u in db.session.scalars(
        select(Unit).where(Unit.kind == "university")))


def test_generated_sizes_and_vacancies_are_realistic(runner):
    runner.invoke(args=["demo", "generate", "--students", "3000", "--seed", "1"])
    dorms = db.session.scalars(select(Unit.students).where(Unit.kind == "dorm")).all()
    assert all(4 <= n <= 6 for n in dorms)
    room_sums = dict(db.session.execute(
        select(Unit.class_id, func.sum(Unit.students)).where(Unit.kind == "dorm")
        .group_by(Unit.class_id)).all())
    classes = db.session.execute(select(Unit.id, Unit.students).where(Unit.kind == "class")).all()
    assert all(room_sums[cid] == students for cid, students in classes)
    informants = holders("dorm_informant", "dorm").values()
    assert max(informants) == 1
    assert 0.01 <= list(informants).count(0) / len(informants) <= 0.08


def test_generate_is_deterministic_for_a_seed(runner):
    runner.invoke(args=["demo", "generate", "--students", "3000", "--seed", "1"])
    first = province_snapshot()
    empty_tables()
    runner.invoke(args=["demo", "generate", "--students", "3000", "--seed", "1"])
    assert province_snapshot() == first
    assert first[0][0][0].startswith("G1-")


def test_generate_with_the_same_seed_twice_is_refused(runner):
    runner.invoke(args=["demo", "generate", "--students", "1000", "--seed", "3"])
    units = count(Unit)
    result = runner.invoke(args=["demo", "generate", "--students", "1000", "--seed", "3"])
    assert result.exit_code == 1
    assert "seed 3" in result.stderr
    assert count(Unit) == units
    other = runner.invoke(args=["demo", "generate", "--students", "1000", "--seed", "4"])
    assert other.exit_code == 0
    assert count(Unit) > units


def test_units_and_people_added_after_generate_get_fresh_ids(runner, make_unit, make_person):
    runner.invoke(args=["demo", "generate", "--students", "1000", "--seed", "5"])
    largest = db.session.scalar(select(func.max(Unit.id)))
    university = make_unit("NEW-U")
    person = make_person("NEW-001", role="mh_teacher", unit=university)
    assert university.id > largest
    assert person.assignments[0].unit_id == university.id
