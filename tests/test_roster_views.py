"""Admins browse the roster and edit assignments in the browser; others see only their scope."""
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import AuditEvent
from models import Person
from models import Role
from models import Unit

TODAY = date.today()
LOGIN = "/login?next="


@pytest.fixture
def world(make_unit, make_person, make_user):
    """U1 › CA › KA › DA1 and U1 › CB › KB, a person in each class, and one user per kind."""
    u1 = make_unit("U1", name="示范大学")
    ca = make_unit("CA", "college", u1, name="心理学院")
    cb = make_unit("CB", "college", u1, name="工学院")
    ka = make_unit("KA", "class", ca, students=30, name="心理2026-1班")
    make_unit("KB", "class", cb, students=30, name="工程2026-1班")
    make_unit("DA1", "dorm", ka, students=4, name="1号楼101")
    pa1 = make_person("PA1", name="张小明", role="class_psych_member", unit=ka)
    make_person("PA2", name="李华", role="dorm_informant", unit=db.session.scalar(
        select(Unit).where(Unit.code == "DA1")))
    make_person("PB1", name="王刚", role="class_psych_member",
                unit=db.session.scalar(select(Unit).where(Unit.code == "KB")))
    make_user("super@example.edu.cn", grant=("superadmin", None))
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    make_user("admin-b@example.edu.cn", grant=("admin", "CB"))
    make_user("auditor@example.edu.cn", grant=("auditor", "U1"))
    make_user("trainer@example.edu.cn", grant=("trainer", "CA"))
    make_user("learner@example.edu.cn", person=pa1)
    return ka


ADD = {"number": "PA2", "role": "class_teacher", "start": TODAY.isoformat()}
# user → (/units, /units/KA, /people, /people/PA1, POST add at KA)
MATRIX = {
    "super": (200, 200, 200, 200, "/units/KA"),
    "admin-a": (200, 200, 200, 200, "/units/KA"),
    "admin-b": (200, 404, 200, 404, 404),
    "auditor": (200, 200, 200, 200, 403),
    "trainer": (200, 200, 200, 200, 403),
    "learner": (403, 404, 403, 404, 404),
    None: (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
}
PAGES = ["/units", "/units/KA", "/people", "/people/PA1", "POST /units/KA/assignments"]


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("index", range(len(PAGES)))
def test_permission_matrix(client, auth, world, who, index):
    if who:
        auth.login(f"{who}@example.edu.cn")
    path = PAGES[index]
    if path.startswith("POST "):
        response = auth.post(path[5:], ADD)
    else:
        response = client.get(path)
    expected = MATRIX[who][index]
    if isinstance(expected, int):
        assert response.status_code == expected
    elif expected == LOGIN:
        assert response.headers["Location"].startswith(LOGIN)
    else:
        assert response.headers["Location"] == expected
    created = db.session.scalar(select(func.count()).where(Assignment.role.has(code="class_teacher")))
    assert created == (1 if path.startswith("POST ") and expected == "/units/KA" else 0)


def test_readers_see_no_forms(client, auth, world):
    auth.login("auditor@example.edu.cn")
    html = client.get("/units/KA").get_data(as_text=True)
    assert "张小明" in html and 'name="number"' not in html and "/end" not in html
    auth.logout()
    auth.login("admin-a@example.edu.cn")
    html = client.get("/units/KA").get_data(as_text=True)
    assert 'name="number"' in html and "/end" in html


def test_unit_page_shows_breadcrumb_roles_and_vacancies(client, auth, world):
    auth.login("admin-a@example.edu.cn")
    html = client.get("/units/KA").get_data(as_text=True)
    crumbs = html.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    assert crumbs.index("示范大学") < crumbs.index("心理学院") < crumbs.index("心理2026-1班")
    assert 'href="/units/U1"' not in crumbs and 'href="/units/CA"' in crumbs  # U1 is out of scope
    assert 'href="/people/PA1"' in html  # the committee member holds the role
    assert html.count("vacancy") == 1  # no class teacher yet
    assert "1号楼101" in html  # the dorm below


def test_admin_adds_an_assignment_once(client, auth, world):
    auth.login("admin-a@example.edu.cn")
    first = auth.post("/units/KA/assignments", ADD)
    assert first.headers["Location"] == "/units/KA"
    again = auth.post("/units/KA/assignments", ADD)
    assert again.status_code == 200 and "在这段时间已在" in again.get_data(as_text=True)
    rows = db.session.scalars(select(Assignment).where(Assignment.unit_id == world.id,
                                                       Assignment.role.has(code="class_teacher")))
    [row] = rows.all()
    assert (row.person.number, row.start, row.end) == ("PA2", TODAY, None)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.created"))
    assert "vacancy" not in client.get("/units/KA").get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    (dict(ADD, number="NOPE"), "No one has number NOPE yet: give their name"),
    (dict(ADD, number="PB1"), "already in use by another person"),  # in another college
    (dict(ADD, start="2026-13-45"), "Not a valid date value"),
    (dict(ADD, role="astronaut"), "Not a valid choice"),
    (dict(ADD, number=""), "This field is required"),
])
def test_bad_additions_are_explained_and_write_nothing(client, auth, world, data, message):
    auth.login("admin-a@example.edu.cn")
    response = auth.post("/units/KA/assignments?lang=en", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Assignment.id))) == 3


def test_admin_adds_someone_new_to_the_roster_with_a_role(client, auth, world):
    auth.login("admin-a@example.edu.cn")
    response = auth.post("/units/KA/assignments", dict(ADD, number="NEW1", name="新老师"))
    assert response.headers["Location"] == "/units/KA"
    person = db.session.scalar(select(Person).where(Person.number == "NEW1"))
    assert person.name == "新老师"
    assert [a.role.code for a in person.assignments] == ["class_teacher"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.created"))


def test_admin_edits_and_ends_an_assignment(client, auth, world):
    [assignment] = db.session.scalars(select(Assignment).where(Assignment.unit_id == world.id))
    ident = assignment.id
    auth.login("admin-a@example.edu.cn")
    assert "2026" in client.get(f"/assignments/{ident}/edit?next=/people/PA1").get_data(as_text=True)
    response = auth.post(f"/assignments/{ident}/edit",
                         {"start": "2026-08-30", "end": "", "next": "/people/PA1"})
    assert response.headers["Location"] == "/people/PA1"
    response = auth.post(f"/assignments/{ident}/end", {"next": "//evil.example.com/"})
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    row = db.session.get(Assignment, ident)
    ended = row.end
    assert (row.start, ended) == (date(2026, 8, 30), date.today())  # the day it was ended
    assert auth.post(f"/assignments/{ident}/end").headers["Location"] == "/units/KA"
    assert db.session.get(Assignment, ident).end == ended  # not ended twice
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "assignment", AuditEvent.target_id == str(ident)))
    assert sorted(actions) == ["assignment.ended", "assignment.updated"]


def test_edit_refuses_an_end_before_the_start(client, auth, world):
    [assignment] = db.session.scalars(select(Assignment).where(Assignment.unit_id == world.id))
    auth.login("admin-a@example.edu.cn")
    response = auth.post(f"/assignments/{assignment.id}/edit", {"start": "2026-09-01",
                                                                "end": "2026-08-01"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Assignment, assignment.id).end is None


@pytest.mark.parametrize("who, status", [("admin-b", 404), ("auditor", 403), ("trainer", 403)])
def test_others_cannot_end_an_assignment(client, auth, world, who, status):
    [assignment] = db.session.scalars(select(Assignment).where(Assignment.unit_id == world.id))
    auth.login(f"{who}@example.edu.cn")
    assert auth.post(f"/assignments/{assignment.id}/end").status_code == status
    assert client.get(f"/assignments/{assignment.id}/edit").status_code == status
    db.session.expire_all()
    assert db.session.get(Assignment, assignment.id).end is None


@pytest.mark.parametrize("path", ["/assignments/999/end", "/assignments/" + "9" * 30 + "/end"])
def test_missing_assignments_are_404(client, auth, world, path):
    auth.login("super@example.edu.cn")
    assert auth.post(path).status_code == 404


def test_history_and_person_page(client, auth, world):
    [assignment] = db.session.scalars(select(Assignment).where(Assignment.unit_id == world.id))
    assignment.end = date(2026, 10, 31)
    db.session.commit()
    auth.login("admin-a@example.edu.cn")
    current, history = client.get("/units/KA").get_data(as_text=True).split('id="history"')
    assert "张小明" in history and "张小明" not in current.split('id="assignments"')[1]
    html = client.get("/people/PA1").get_data(as_text=True)
    assert "心理2026-1班" in html and f"/assignments/{assignment.id}/edit" in html


def add_dorms(klass: Unit, count: int, start: int = 0) -> None:
    """Bulk-insert dorms under `klass`, each with an informant, as an import would."""
    codes = [f"{klass.code}-D{i:04}" for i in range(start, start + count)]
    db.session.execute(insert(Unit), [
        {"code": code, "name": f"寝室{code[-4:]}", "kind": "dorm", "parent_id": klass.id,
         "students": 4, "university_id": klass.university_id, "college_id": klass.college_id,
         "class_id": klass.class_id}
        for code in codes])
    person_id = db.session.scalar(select(Person.id).where(Person.number == "PA2"))
    role_id = db.session.scalar(select(Role.id).where(Role.code == "dorm_informant"))
    db.session.execute(insert(Assignment), [
        {"person_id": person_id, "role_id": role_id, "unit_id": unit_id, "start": TODAY}
        for unit_id in db.session.scalars(select(Unit.id).where(Unit.code.in_(codes)))])
    db.session.commit()


def test_children_paginate_and_search(client, auth, world):
    add_dorms(world, 60)
    auth.login("admin-a@example.edu.cn")
    first = client.get("/units/KA").get_data(as_text=True)
    assert "KA-D0023" in first and "KA-D0024" not in first  # DA1 and 24 more: 25 a page
    assert "KA-D0059" in client.get("/units/KA?page=3").get_data(as_text=True)
    assert "KA-D0059" in client.get("/units/KA?page=99999").get_data(as_text=True)
    for odd in ("abc", "0", "99999", "-1"):
        assert client.get(f"/units/KA?page={odd}&apage={odd}&hpage={odd}").status_code == 200
    found = client.get("/units/KA?q=d0042").get_data(as_text=True)
    assert "KA-D0042" in found and "KA-D0041" not in found


@pytest.mark.parametrize("path, status", [
    ("/units/K%00A", 404), ("/people/PA%001", 404), ("/units?q=%00", 400),
    ("/people?q=a%00&page=%00", 400), ("/units?q=" + "心" * 5000, 200), ("/people?q=%25_", 200),
])
def test_odd_input_is_never_a_server_error(client, auth, world, path, status):
    auth.login("super@example.edu.cn")
    assert client.get(path).status_code == status


def test_unit_and_people_search_stay_in_scope(client, auth, world):
    auth.login("admin-b@example.edu.cn")
    assert "KB" in client.get("/units?q=K").get_data(as_text=True)
    assert "心理2026-1班" not in client.get("/units?q=心理").get_data(as_text=True)
    html = client.get("/people?q=王").get_data(as_text=True)
    assert "PB1" in html and "PA1" not in html
    assert "PB1" not in client.get("/people?q=PA").get_data(as_text=True)
    tree = client.get("/units?page=abc").get_data(as_text=True)
    assert "工学院" in tree and "心理学院" not in tree


def test_unit_tree_starts_at_the_scope_roots(client, auth, world):
    auth.login("super@example.edu.cn")
    html = client.get("/units").get_data(as_text=True)
    assert "示范大学" in html and "心理学院" in html and "工学院" in html
    assert "心理2026-1班" not in html  # grandchildren wait for the unit page


@pytest.mark.parametrize("code", ["KA", "CA"])
def test_unit_page_queries_do_not_grow_with_the_unit(client, auth, world, code):
    auth.login("admin-a@example.edu.cn")
    statements = []

    def count(*args):
        statements.append(args[2])

    def measure() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/units/{code}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    add_dorms(world, 9, start=1)
    small = measure()
    add_dorms(world, 990, start=10)
    assert db.session.scalar(select(func.count()).where(Unit.parent_id == world.id)) == 1000
    assert measure() == small
