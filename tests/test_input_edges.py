"""What a careless or hostile user can type answers with a clear message, never a 500, and
nobody credits their own hours through a session."""
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import HourEntry
from models import TrainingSession
from models.base import utcnow
from services import accounts
from tests.session_setup import build_campus
from tests.session_setup import schedule
from tests.test_api import bearer


@pytest.fixture
def campus(app, roles, make_unit, make_person, make_user):
    return build_campus(make_unit, make_person, make_user)


SESSION = {"unit": "C1", "title": "工作坊", "starts_at": "2026-12-20T14:00",
           "ends_at": "2026-12-20T16:00", "hours": "2", "activity": "workshop"}


@pytest.mark.parametrize("field, value", [
    ("capacity", "100000000000000000000"),
    ("starts_at", "0001-01-01T00:00"),
    ("hours", "sNaN"),
    ("hours", "Infinity"),
])
def test_a_session_form_with_nonsense_is_shown_again(client, auth, campus, field, value):
    auth.login("trainer@example.edu.cn")
    response = auth.post("/sessions/new", dict(SESSION, **{field: value}))
    assert response.status_code == 422  # the form again, the problem beside its field
    assert 'name="title"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TrainingSession.id))) == 0


@pytest.mark.parametrize("path", ["/coverage/U1?as_of=9999-12-31", "/coverage/U1.xlsx?as_of=9999-12-31"])
def test_a_date_at_the_end_of_time_is_a_clear_400_on_coverage_pages(client, auth, campus, path,
                                                                     make_user):
    make_user("u1@example.edu.cn", grant=("admin", "U1"))
    auth.login("u1@example.edu.cn")
    response = client.get(path)
    assert response.status_code == 400
    assert "9000" in response.get_data(as_text=True)


def test_a_date_at_the_end_of_time_is_a_clear_400_in_the_api_and_the_cli(client, campus, make_user,
                                                                       runner):
    token = accounts.create_token(make_user("root@example.edu.cn", grant=("superadmin", None)))
    db.session.commit()
    for path in ("/api/v1/units/U1/coverage", "/api/v1/units/U1/vacancies"):
        response = client.get(f"{path}?as_of=9999-12-31", headers=bearer(token))
        assert response.status_code == 400 and response.get_json()["error"]["message"]
    result = runner.invoke(args=["coverage", "U1", "--as-of", "9999-12-31"])
    assert result.exit_code == 1 and "9000" in result.output


def test_ids_too_big_for_the_database_are_ignored(client, auth, campus, make_user):
    make_user("c1@example.edu.cn", grant=("admin", "C1"))
    auth.login("c1@example.edu.cn")
    response = auth.post("/hours/review", {"ids": "99999999999999999999", "decision": "approve"})
    assert response.status_code == 422  # "tick at least one entry", not a crash
    running = schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(minutes=5))
    response = auth.post(f"/sessions/{running.id}/attendance",
                         {"present": "99999999999999999999", "listed": "99999999999999999999"})
    assert response.status_code in (200, 302)


def test_a_trainer_cannot_credit_themselves_through_their_session(client, auth, campus,
                                                                  make_person):
    teacher = make_person("T900", name="培训老师", role="counselor", unit=campus.c1)
    campus.trainer.person_id = teacher.id
    db.session.commit()
    running = schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(minutes=5))
    auth.login("trainer@example.edu.cn")
    auth.post(f"/sessions/{running.id}/walk-in", {"number": "T900"})
    assert db.session.scalar(select(func.count(HourEntry.id)).where(
        HourEntry.person_id == teacher.id)) == 0
    auth.post(f"/sessions/{running.id}/walk-in", {"number": "S001"})  # someone else: fine
    assert db.session.scalar(select(func.count(HourEntry.id)).where(
        HourEntry.person_id == campus.s1.id, HourEntry.status == "approved")) == 1
