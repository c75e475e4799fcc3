"""Fifty phones of one learner scanning the session's QR code at once, through the real
check-in page: one attendance, one ledger entry — on SQLite and PostgreSQL."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Attendance
from models import HourEntry
from models.base import utcnow
from services import certification
from services import session_checkin
from tests.parallel import CROWD
from tests.parallel import at_once
from tests.parallel import clones
from tests.parallel import statuses
from tests.session_setup import build_campus
from tests.session_setup import schedule


@pytest.fixture
def campus(app, roles, make_unit, make_person, make_user):
    return build_campus(make_unit, make_person, make_user)


@pytest.fixture
def running(campus):
    """A session that started ten minutes ago: check-in is open."""
    return schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(minutes=10),
                    title="正在进行的工作坊", hours=1.5)


def test_fifty_scans_mark_one_attendance_and_credit_the_hours_once(client, auth, campus, running,
                                                                    monkeypatch):
    auth.login("s001@example.edu.cn")
    token = auth.csrf_token("/")
    phones = clones(client, CROWD)
    path = f"/checkin/{running.id}/{session_checkin.current_token(running)}"
    evaluated = []
    real = certification.reevaluate
    monkeypatch.setattr(certification, "reevaluate",
                        lambda person, **kw: evaluated.append(person.id) or real(person, **kw))

    responses = at_once(lambda i: phones[i].post(path, data={"csrf_token": token}))

    assert statuses(responses) == {302: CROWD}, statuses(responses)
    assert {r.headers["Location"] for r in responses} == {f"/sessions/{running.id}/checked-in"}
    db.session.expire_all()
    rows = db.session.execute(select(Attendance.person_id, Attendance.method)).all()
    assert rows == [(campus.s1.id, "qr")]
    entries = db.session.execute(select(HourEntry.person_id, HourEntry.source, HourEntry.status,
                                        HourEntry.hours)).all()
    assert entries == [(campus.s1.id, "session", "approved", 1.5)]
    assert evaluated == [campus.s1.id], "the credit re-evaluates the person once, not per scan"
