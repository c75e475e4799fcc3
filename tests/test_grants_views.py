"""Admins give and take grants on units in their scope, in the browser."""
import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Grant


@pytest.fixture
def colleges(make_unit):
    university = make_unit("U1")
    return {
        "U1": university,
        "CA": make_unit("CA", "college", university),
        "CB": make_unit("CB", "college", university),
    }


def test_admin_grants_trainer_on_a_unit_in_scope(client, auth, make_user, colleges):
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    make_user("teacher@example.edu.cn")
    auth.login("admin-a@example.edu.cn")
    response = auth.post("/grants/CA", {"email": "Teacher@example.edu.cn", "kind": "trainer"})
    assert response.headers["Location"] == "/grants/CA"
    grant = db.session.scalar(select(Grant).where(Grant.kind == "trainer"))
    assert grant.user.email == "teacher@example.edu.cn" and grant.unit.code == "CA"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grant.added",
                                                      AuditEvent.target_id == str(grant.user_id)))
    assert "teacher@example.edu.cn" in client.get("/grants/CA").get_data(as_text=True)


def test_granting_twice_makes_one_grant(client, auth, make_user, colleges):
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    make_user("teacher@example.edu.cn")
    auth.login("admin-a@example.edu.cn")
    for _ in range(2):
        auth.post("/grants/CA", {"email": "teacher@example.edu.cn", "kind": "auditor"})
    assert len(db.session.scalars(select(Grant).where(Grant.kind == "auditor")).all()) == 1


def test_unknown_email_is_shown_in_the_form(client, auth, make_user, colleges):
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    auth.login("admin-a@example.edu.cn")
    response = auth.post("/grants/CA", {"email": "ghost@example.edu.cn", "kind": "trainer"})
    assert response.status_code == 200
    assert "ghost@example.edu.cn" in response.get_data(as_text=True)
    assert "invalid-feedback" in response.get_data(as_text=True)


@pytest.mark.parametrize("grant", [("admin", "CB"), ("auditor", "U1"), ("trainer", "CA"), None])
def test_others_cannot_see_or_change_grants_of_college_a(client, auth, make_user, colleges, grant):
    make_user("someone@example.edu.cn", grant=grant)
    make_user("teacher@example.edu.cn")
    auth.login("someone@example.edu.cn")
    assert client.get("/grants/CA").status_code == 404
    response = auth.post("/grants/CA", {"email": "teacher@example.edu.cn", "kind": "admin"})
    assert response.status_code == 404
    admins_of_a = select(Grant).where(Grant.kind == "admin", Grant.unit_id == colleges["CA"].id)
    assert db.session.scalar(admins_of_a) is None


def test_admin_removes_a_grant_but_not_their_own(client, auth, make_user, colleges):
    admin = make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    other = make_user("teacher@example.edu.cn", grant=("trainer", "CA"))
    other_grant_id = other.grants[0].id
    own_grant_id = admin.grants[0].id
    auth.login("admin-a@example.edu.cn")
    auth.post(f"/grants/remove/{own_grant_id}")
    assert db.session.get(Grant, own_grant_id) is not None
    response = auth.post(f"/grants/remove/{other_grant_id}")
    assert response.headers["Location"] == "/grants/CA"
    db.session.expire_all()
    assert db.session.get(Grant, other_grant_id) is None


def test_admin_of_another_college_cannot_remove(client, auth, make_user, colleges):
    make_user("admin-b@example.edu.cn", grant=("admin", "CB"))
    other = make_user("teacher@example.edu.cn", grant=("trainer", "CA"))
    auth.login("admin-b@example.edu.cn")
    assert auth.post(f"/grants/remove/{other.grants[0].id}").status_code == 404
    assert db.session.get(Grant, other.grants[0].id) is not None
