"""Session pages: who may schedule, read and take attendance; registering; the QR screen;
checking in from a phone through the real pages; the attendance page's query count."""
import io
import re
from datetime import datetime
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Attendance
from models import HourEntry
from models import Person
from models import TrainingSession
from models.base import utcnow
from services import session_checkin
from services import session_registration
from tests.session_setup import build_campus
from tests.session_setup import schedule
from tests.statements import statements_of_get


@pytest.fixture
def campus(app, roles, make_unit, make_person, make_user):
    return build_campus(make_unit, make_person, make_user)


@pytest.fixture
def upcoming(campus):
    return schedule(campus.c1, campus.trainer, capacity=20)


@pytest.fixture
def running(campus):
    """A session that started ten minutes ago: check-in is open."""
    return schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(minutes=10),
                    title="正在进行的工作坊", hours=1.5)


def html_of(response) -> str:
    return response.get_data(as_text=True)


def rows(model, **where) -> list:
    db.session.expire_all()
    stmt = select(model).order_by(model.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return list(db.session.scalars(stmt))


# --- scheduling ---------------------------------------------------------------------------

def test_a_trainer_schedules_a_session_in_beijing_time(client, auth, campus):
    auth.login("trainer@example.edu.cn")
    page = html_of(client.get("/sessions/new"))
    assert 'value="C1"' in page and 'name="roles"' in page and 'value="workshop"' in page
    response = auth.post("/sessions/new", {
        "unit": "K1", "title": "信息员工作坊", "starts_at": "2026-12-20T14:00",
        "ends_at": "2026-12-20T16:00", "hours": "2", "activity": "case_seminar",
        "place": "图书馆 3 楼", "roles": ["dorm_informant"], "capacity": "40"})
    [session] = rows(TrainingSession)
    assert response.headers["Location"] == f"/sessions/{session.id}"
    assert (session.unit.code, session.starts_at, session.ends_at, session.activity,
            session.roles, session.capacity) == (
        "K1", datetime(2026, 12, 20, 6, 0), datetime(2026, 12, 20, 8, 0), "case_seminar",
        ["dorm_informant"], 40)
    edit = html_of(client.get(f"/sessions/{session.id}/edit"))
    assert 'value="2026-12-20T14:00"' in edit, "the form shows local time again"


def test_scheduling_rules_and_scope_show_on_the_form(client, auth, campus):
    auth.login("trainer@example.edu.cn")
    base = {"title": "工作坊", "starts_at": "2026-12-20T14:00", "ends_at": "2026-12-20T13:00",
            "hours": "1.25", "activity": "workshop"}
    response = auth.post("/sessions/new", dict(base, unit="C1"))
    assert response.status_code == 422
    assert "must end after it starts" in html_of(response) and "half-hour steps" in html_of(response)
    response = auth.post("/sessions/new", dict(base, unit="C2", ends_at="2026-12-20T15:00",
                                               hours="1"))
    assert response.status_code == 422 and "No such unit." in html_of(response)
    assert rows(TrainingSession) == []


def test_learners_cannot_schedule(client, auth, campus):
    auth.login("s001@example.edu.cn")
    assert client.get("/sessions/new").status_code == 404
    assert 'id="new-session"' not in html_of(client.get("/sessions"))


# --- who sees what ------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("get", "/sessions/{id}"), ("get", "/sessions/{id}/qr"), ("get", "/sessions/{id}/edit"),
    ("post", "/sessions/{id}/attendance"), ("post", "/sessions/{id}/cancel"),
    ("post", "/sessions/{id}/walk-in"),
])
def test_an_admin_of_another_unit_gets_404(client, auth, campus, upcoming, method, path):
    auth.login("admin2@example.edu.cn")
    path = path.format(id=upcoming.id)
    response = client.get(path) if method == "get" else auth.post(path, {"number": "S001"})
    assert response.status_code == 404
    assert upcoming.title not in html_of(response)


def test_the_trainer_sees_the_attendance_list_and_the_tools(client, auth, campus, upcoming):
    session_registration.register(upcoming, campus.s1)
    db.session.commit()
    auth.login("trainer@example.edu.cn")
    page = html_of(client.get(f"/sessions/{upcoming.id}"))
    assert 'id="attendance"' in page and 'data-number="S001"' in page
    assert f'href="/sessions/{upcoming.id}/qr"' in page
    assert f'action="/sessions/{upcoming.id}/import"' in page and "data-upload-progress" in page
    assert re.search(r'id="registered-count">\s*1 / 20', page)


def test_an_auditor_reads_the_list_but_changes_nothing(client, auth, campus, upcoming):
    session_registration.register(upcoming, campus.s1)
    db.session.commit()
    auth.login("auditor@example.edu.cn")
    page = html_of(client.get(f"/sessions/{upcoming.id}"))
    assert 'data-number="S001"' in page and "/qr" not in page and "/import" not in page
    assert client.get(f"/sessions/{upcoming.id}/qr").status_code == 403
    response = auth.post(f"/sessions/{upcoming.id}/attendance",
                         {"listed": campus.s1.id, "present": campus.s1.id})
    assert response.status_code == 403
    assert rows(Attendance)[0].present_at is None


def test_a_learner_registers_but_never_sees_the_attendance_list(client, auth, campus, upcoming):
    auth.login("s001@example.edu.cn")
    listing = html_of(client.get("/sessions"))
    assert f'href="/sessions/{upcoming.id}"' in listing and 'id="managed"' not in listing
    page = html_of(client.get(f"/sessions/{upcoming.id}"))
    assert 'id="attendance"' not in page and "/qr" not in page
    assert f'action="/sessions/{upcoming.id}/register"' in page
    response = auth.post(f"/sessions/{upcoming.id}/register")
    assert response.headers["Location"] == f"/sessions/{upcoming.id}"
    auth.post(f"/sessions/{upcoming.id}/register")  # a second click
    assert [(a.person_id, a.registered_at is not None) for a in rows(Attendance)] == [
        (campus.s1.id, True)]
    page = html_of(client.get(f"/sessions/{upcoming.id}"))
    assert 'data-status="registered"' in page and "/unregister" in page
    assert 'data-status="registered"' in html_of(client.get("/sessions"))
    for path in ("attendance", "qr"):
        response = client.get(f"/sessions/{upcoming.id}/{path}") if path == "qr" else \
            auth.post(f"/sessions/{upcoming.id}/{path}", {"listed": campus.s1.id,
                                                           "present": campus.s1.id})
        assert response.status_code == 404
    auth.post(f"/sessions/{upcoming.id}/unregister")
    assert rows(Attendance) == []


def test_a_session_for_another_college_is_not_found_for_a_learner(client, auth, campus):
    other = schedule(campus.c2, campus.other_admin)
    auth.login("s001@example.edu.cn")
    assert client.get(f"/sessions/{other.id}").status_code == 404
    assert auth.post(f"/sessions/{other.id}/register").status_code == 404
    assert rows(Attendance) == []


def test_a_full_session_says_so(client, auth, campus, make_person):
    full = schedule(campus.c1, campus.trainer, capacity=1)
    session_registration.register(full, campus.s2)
    db.session.commit()
    auth.login("s001@example.edu.cn")
    auth.post(f"/sessions/{full.id}/register")
    assert "This session is full." in html_of(client.get(f"/sessions/{full.id}"))
    assert len(rows(Attendance)) == 1


# --- taking attendance --------------------------------------------------------------------

def test_ticking_the_list_credits_hours(client, auth, campus, running):
    for person in (campus.s1, campus.s2):
        db.session.add(Attendance(session_id=running.id, person_id=person.id,
                                  registered_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    auth.login("trainer@example.edu.cn")
    response = auth.post(f"/sessions/{running.id}/attendance",
                         {"listed": [campus.s1.id, campus.s2.id], "present": [campus.s2.id]})
    assert response.headers["Location"] == f"/sessions/{running.id}#attendance"
    assert [(e.person_id, e.status, e.hours) for e in rows(HourEntry)] == [
        (campus.s2.id, "approved", 1.5)]
    page = html_of(client.get(f"/sessions/{running.id}"))
    assert "1 marked present, 0 removed" in page
    assert re.search(rf'id="present-{campus.s2.id}"[^>]*checked', page)


def test_a_walk_in_is_added_by_number(client, auth, campus, running):
    auth.login("trainer@example.edu.cn")
    auth.post(f"/sessions/{running.id}/walk-in", {"number": "S002"})
    assert [(a.person_id, a.method) for a in rows(Attendance)] == [(campus.s2.id, "list")]
    response = auth.post(f"/sessions/{running.id}/walk-in", {"number": "S003"})
    assert response.status_code == 422 and "No such person." in html_of(response)


def upload(auth, session, content: bytes, name="attendance.csv", dry_run=False):
    data = {"file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return auth.post(f"/sessions/{session.id}/import", data, content_type="multipart/form-data")


def test_an_import_lists_every_problem_and_marks_nobody(client, auth, campus, running):
    auth.login("trainer@example.edu.cn")
    response = upload(auth, running, "工号/学号\nS001\nS999\nS001\n".encode())
    page = html_of(response)
    assert response.status_code == 422
    assert "row 3, column 工号/学号: no person has the number S999" in page
    assert "row 4, column 工号/学号: S001 is listed twice (first on row 2)" in page
    assert rows(Attendance) == []
    response = upload(auth, running, "工号/学号\nS001\nS002\n".encode())
    assert response.headers["Location"] == f"/sessions/{running.id}#attendance"
    assert "Imported: 2 marked present, 0 were already present." in html_of(
        client.get(f"/sessions/{running.id}"))
    assert sorted(e.person_id for e in rows(HourEntry, status="approved")) == [
        campus.s1.id, campus.s2.id]


# --- QR check-in --------------------------------------------------------------------------

def qr_url(client, session) -> str:
    page = html_of(client.get(f"/sessions/{session.id}/qr"))
    match = re.search(r'data-url="([^"]+)"', page)
    assert match, "no code on the QR page"
    return match.group(1)


def test_the_qr_page_shows_a_fresh_code_and_refreshes_itself(client, auth, campus, running):
    auth.login("trainer@example.edu.cn")
    response = client.get(f"/sessions/{running.id}/qr")
    page = html_of(response)
    assert '<meta http-equiv="refresh" content="30">' in page and "<svg" in page
    assert response.headers["Cache-Control"] == "no-store"
    url = qr_url(client, running)
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost"
    assert parts.path == f"/checkin/{running.id}/{session_checkin.current_token(running)}"


def test_outside_the_window_the_qr_page_shows_no_code(client, auth, campus, upcoming):
    auth.login("trainer@example.edu.cn")
    page = html_of(client.get(f"/sessions/{upcoming.id}/qr"))
    assert 'data-state="early"' in page and "<svg" not in page and "data-url" not in page


def test_checking_in_from_a_phone_credits_the_hours_once(client, auth, campus, running):
    token = session_checkin.current_token(running)
    path = f"/checkin/{running.id}/{token}"
    response = client.get(path)
    assert urlsplit(response.headers["Location"]).path == "/login"
    login = client.post(response.headers["Location"], data={
        "username": "s001@example.edu.cn", "password": "correct-horse-42",
        "csrf_token": auth.csrf_token("/login")})
    assert login.headers["Location"] == path, "signing in returns to the check-in page"
    page = html_of(client.get(path))
    assert "data-autosubmit" in page and "js/checkin.js" in page and running.title in page
    response = auth.post(path)
    assert response.headers["Location"] == f"/sessions/{running.id}/checked-in"
    done = html_of(client.get(response.headers["Location"]))
    assert 'id="hours-credited"' in done and "1.5 hours credited" in done
    again = auth.post(path)
    assert again.headers["Location"] == f"/sessions/{running.id}/checked-in"
    assert client.get(path).headers["Location"] == f"/sessions/{running.id}/checked-in"
    assert [(a.person_id, a.method) for a in rows(Attendance)] == [(campus.s1.id, "qr")]
    assert [(e.status, e.hours) for e in rows(HourEntry)] == [("approved", 1.5)]


def test_a_stale_code_asks_to_scan_again(client, auth, campus, running):
    stale = session_checkin.token_for(running, session_checkin.slot_of(utcnow()) - 3)
    auth.login("s001@example.edu.cn")
    response = client.get(f"/checkin/{running.id}/{stale}")
    page = html_of(response)
    assert response.status_code == 400 and "scan the code on the screen again" in page
    assert "data-autosubmit" not in page and "checkin.js" not in page
    assert auth.post(f"/checkin/{running.id}/{stale}").status_code == 400
    assert rows(Attendance) == []


def test_a_code_of_a_session_one_cannot_see_is_not_found(client, auth, campus, make_user):
    other = schedule(campus.c2, campus.other_admin, starts_at=utcnow() - timedelta(minutes=5))
    auth.login("s001@example.edu.cn")
    assert client.get(f"/checkin/{other.id}/not-a-token").status_code == 404
    valid = session_checkin.current_token(other)
    response = client.get(f"/checkin/{other.id}/{valid}")
    assert response.status_code == 403 and "理学院" in html_of(response)


# --- the attendance page's queries --------------------------------------------------------

def fill(session, unit, role, prefix: str, n: int) -> None:
    db.session.execute(db.insert(Person), [dict(number=f"{prefix}{i:04d}", name=f"人{i}")
                                           for i in range(n)])
    ids = db.session.scalars(select(Person.id).where(Person.number.like(f"{prefix}%"))).all()
    db.session.execute(db.insert(Assignment), [dict(person_id=i, role_id=role.id, unit_id=unit.id,
                                                    start=datetime(2020, 9, 1).date()) for i in ids])
    db.session.execute(db.insert(Attendance), [dict(session_id=session.id, person_id=i,
                                                    registered_at=utcnow()) for i in ids])
    db.session.commit()


def test_the_attendance_page_takes_the_same_queries_for_10_or_150(client, auth, campus, roles):
    auth.login("trainer@example.edu.cn")
    counts = []
    for n in (10, 150):
        session = schedule(campus.c1, campus.trainer, title=f"工作坊{n}")
        fill(session, campus.k1, roles["dorm_informant"], f"Q{n}-", n)
        counts.append(statements_of_get(client, f"/sessions/{session.id}"))
    page = html_of(client.get(f"/sessions/{session.id}"))
    assert page.count('name="listed"') == 100 and "Page 1 of 2" in page
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8
    listing = statements_of_get(client, "/sessions")
    assert db.session.scalar(select(func.count(TrainingSession.id))) == 2 and listing <= 8
