"""The API answers in a fixed number of statements, however big the unit (DESIGN: Scale)."""
import pytest
from sqlalchemy import event
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Person
from models import Unit
from services import accounts
from services import units as unit_service
from tests.test_api import OLD
from tests.test_api import bearer


def bulk_units(parent, kind: str, prefix: str, count: int) -> None:
    """Insert `count` units under `parent` in one statement, ancestor ids filled."""
    ids = unit_service.ancestor_ids(kind, None, parent)
    db.session.execute(db.insert(Unit), [
        dict(code=f"{prefix}{n:05d}", name=f"{prefix}{n}", kind=kind, parent_id=parent.id, **ids)
        for n in range(count)
    ])
    if kind == "class":  # a class carries its own id as class_id
        db.session.execute(db.update(Unit).where(Unit.parent_id == parent.id, Unit.kind == "class")
                           .values(class_id=Unit.id))


def bulk_people(unit, role, prefix: str, count: int) -> None:
    """`count` people holding `role` at `unit`, inserted in two statements."""
    db.session.execute(db.insert(Person), [
        dict(number=f"{prefix}{n:05d}", name=f"人{n}") for n in range(count)])
    ids = db.session.scalars(select(Person.id).where(Person.number.like(f"{prefix}%"))).all()
    db.session.execute(db.insert(Assignment), [
        dict(person_id=pid, role_id=role.id, unit_id=unit.id, start=OLD) for pid in ids])


def count_statements(app, client, path: str, token: str) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    client.get(path, headers=bearer(token))  # warm up: the first use also records last_used_at
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path, headers=bearer(token))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/api/v1/units/{college}", "/api/v1/units/{klass}",
                                  "/api/v1/people/{first}"])
def test_the_api_issues_the_same_statements_for_10_and_1000(app, client, roles, make_unit,
                                                             make_user, path):
    uni = make_unit("U1")
    counts = []
    for size in (10, 1000):
        college = make_unit(f"C{size}", "college", uni)
        klass = make_unit(f"K{size}", "class", college)
        bulk_units(college, "class", f"K{size}-", size)
        bulk_units(klass, "dorm", f"D{size}-", size)
        bulk_people(college, roles["counselor"], f"P{size}-", size)
        db.session.commit()
        # an admin of the college, so the scope check runs as it does for most callers
        user = make_user(f"admin{size}@example.edu.cn", grant=("admin", college.code))
        token = accounts.create_token(user)
        db.session.commit()
        target = path.format(college=college.code, klass=klass.code, first=f"P{size}-00000")
        counts.append(count_statements(app, client, target, token))
    body = client.get("/api/v1/units/C1000", headers=bearer(token)).get_json()
    assert len(body["children"]) == 1001 and len(body["assignments"]) == 1000
    assert counts[0] == counts[1], counts
    assert counts[0] <= 7
