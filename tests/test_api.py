"""The JSON API v1 (SPEC §7): payloads, bearer tokens, JSON errors and scope."""
from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import ApiToken
from services import accounts

OLD = date(2020, 9, 1)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def token_for(app):
    """token_for(user) → a fresh API token for that user."""

    def make(user):
        token = accounts.create_token(user, "test")
        db.session.commit()
        return token

    return make


@pytest.fixture
def world(make_unit, make_person):
    """A university with two colleges, a class and a dorm in the first, people in both."""
    uni = make_unit("U1", students=30000, name="示范大学")
    college_a = make_unit("CA", "college", uni, name="甲学院")
    college_b = make_unit("CB", "college", uni, name="乙学院")
    klass = make_unit("CA01", "class", college_a, students=30, name="甲一班")
    make_unit("CA01-101", "dorm", klass, name="101室")
    make_unit("CA01-102", "dorm", klass, name="102室")
    make_unit("CB01", "class", college_b, name="乙一班")
    make_person("S001", name="张三", role="class_psych_member", unit=klass, start=OLD)
    make_person("S001", role="dorm_informant", unit=klass, start=date(2019, 9, 1),
                end=date(2020, 6, 30))
    make_person("S002", name="李四", role="class_psych_member", unit=klass, start=date(2099, 1, 1))
    make_person("T001", name="王老师", role="class_teacher", unit=klass, start=OLD)
    make_person("T001", role="counselor", unit=college_a, start=date(2021, 2, 1))
    make_person("T002", name="赵老师", role="counselor", unit=college_b, start=OLD)
    return {"uni": uni, "A": college_a, "B": college_b, "class": klass}


@pytest.fixture
def admin_token(world, make_user, token_for):
    return token_for(make_user("root@example.edu.cn", grant=("superadmin", None)))


def test_unit_is_exactly_as_the_spec_says(client, world, admin_token):
    response = client.get("/api/v1/units/CA01", headers=bearer(admin_token))
    assert response.status_code == 200
    assert response.get_json() == {
        "code": "CA01", "name": "甲一班", "kind": "class", "students": 30, "parent": "CA",
        "children": [{"code": "CA01-101", "name": "101室", "kind": "dorm"},
                     {"code": "CA01-102", "name": "102室", "kind": "dorm"}],
        "assignments": [
            {"number": "S001", "name": "张三", "role": "class_psych_member",
             "start": "2020-09-01", "end": None},
            {"number": "T001", "name": "王老师", "role": "class_teacher",
             "start": "2020-09-01", "end": None},
        ],
    }


def test_a_university_has_no_parent_and_lists_colleges_by_code(client, world, admin_token):
    body = client.get("/api/v1/units/U1", headers=bearer(admin_token)).get_json()
    assert body["parent"] is None
    assert body["students"] == 30000
    assert [c["code"] for c in body["children"]] == ["CA", "CB"]
    assert body["assignments"] == []


def test_as_of_and_history_choose_which_assignments(client, world, admin_token):
    past = client.get("/api/v1/units/CA01?as_of=2020-01-15", headers=bearer(admin_token)).get_json()
    assert past["assignments"] == [{"number": "S001", "name": "张三", "role": "dorm_informant",
                                    "start": "2019-09-01", "end": "2020-06-30"}]
    every = client.get("/api/v1/units/CA01?include=history", headers=bearer(admin_token)).get_json()
    assert [(a["number"], a["role"]) for a in every["assignments"]] == [
        ("S001", "class_psych_member"), ("S002", "class_psych_member"),
        ("T001", "class_teacher"), ("S001", "dorm_informant")]


def test_person_is_exactly_as_the_spec_says(client, world, admin_token):
    response = client.get("/api/v1/people/T001", headers=bearer(admin_token))
    assert response.status_code == 200
    assert response.get_json() == {
        "number": "T001", "name": "王老师",
        "assignments": [
            {"role": "class_teacher", "unit": "CA01", "start": "2020-09-01", "end": None},
            {"role": "counselor", "unit": "CA", "start": "2021-02-01", "end": None},
        ],
    }


def test_person_lists_ended_assignments_with_their_end(client, world, admin_token):
    body = client.get("/api/v1/people/S001", headers=bearer(admin_token)).get_json()
    assert body["assignments"] == [
        {"role": "dorm_informant", "unit": "CA01", "start": "2019-09-01", "end": "2020-06-30"},
        {"role": "class_psych_member", "unit": "CA01", "start": "2020-09-01", "end": None},
    ]


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
])
def test_no_token_answers_401_with_a_bearer_challenge(client, world, headers):
    response = client.get("/api/v1/units/U1", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.get_json()["error"]["message"]


def test_a_wrong_token_answers_401_invalid_token(client, world):
    response = client.get("/api/v1/units/U1", headers=bearer("sw_not-a-token"))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_stops_working(client, world, make_user, token_for):
    user = make_user("root@example.edu.cn", grant=("superadmin", None))
    token = token_for(user)
    assert client.get("/api/v1/units/U1", headers=bearer(token)).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    accounts.revoke_token(row, by=user)
    db.session.commit()
    assert client.get("/api/v1/units/U1", headers=bearer(token)).status_code == 401


def test_a_disabled_users_token_stops_working(client, world, make_user, token_for):
    user = make_user("root@example.edu.cn", grant=("superadmin", None))
    token = token_for(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/units/U1", headers=bearer(token)).status_code == 401


def test_using_a_token_records_when_and_sets_no_cookie(client, world, make_user, token_for):
    user = make_user("root@example.edu.cn", grant=("superadmin", None))
    response = client.get("/api/v1/units/U1", headers=bearer(token_for(user)))
    assert "Set-Cookie" not in response.headers
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    db.session.refresh(row)
    assert row.last_used_at is not None


@pytest.mark.parametrize("path, status, code", [
    ("/api/v1/units/NOPE", 404, "not_found"),
    ("/api/v1/people/NOPE", 404, "not_found"),
    ("/api/v1/nothing-here", 404, "not_found"),
    ("/api/v1/units/U1?as_of=28/11/2026", 400, "bad_request"),
    ("/api/v1/units/U1?include=everything", 400, "bad_request"),
])
def test_errors_are_json(client, world, admin_token, path, status, code):
    response = client.get(path, headers=bearer(admin_token))
    assert response.status_code == status
    assert response.is_json
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


def test_writing_methods_answer_405_in_json(client, world, admin_token):
    response = client.post("/api/v1/units/U1", headers=bearer(admin_token))
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


GRANTS = {
    "superadmin": ("superadmin", None),
    "admin of A": ("admin", "CA"),
    "admin of B": ("admin", "CB"),
    "auditor of the university": ("auditor", "U1"),
    "trainer of A": ("trainer", "CA"),
    "no grant": None,
}
TARGETS = {
    "unit in A": "/api/v1/units/CA01-101",
    "unit in B": "/api/v1/units/CB01",
    "person in A": "/api/v1/people/T001",
    "person in B": "/api/v1/people/T002",
}
SEES = {
    "superadmin": {"unit in A", "unit in B", "person in A", "person in B"},
    "admin of A": {"unit in A", "person in A"},
    "admin of B": {"unit in B", "person in B"},
    "auditor of the university": {"unit in A", "unit in B", "person in A", "person in B"},
    "trainer of A": {"unit in A", "person in A"},
    "no grant": set(),
}


@pytest.mark.parametrize("holder", list(GRANTS))
@pytest.mark.parametrize("target", list(TARGETS))
def test_permission_matrix(client, world, make_user, token_for, holder, target):
    token = token_for(make_user("someone@example.edu.cn", grant=GRANTS[holder]))
    response = client.get(TARGETS[target], headers=bearer(token))
    expected = 200 if target in SEES[holder] else 404
    assert response.status_code == expected
    if expected == 404:
        assert response.get_json()["error"]["code"] == "not_found"
