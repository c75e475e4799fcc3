"""The 12-hours-a-day cap holds when twenty tabs log hours at once (SQLite takes its write
lock with BEGIN IMMEDIATE before reading the day's total; PostgreSQL locks the person's
row); hours credited by attendance count towards the day but are never refused."""
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import HourEntry
from models.base import utcnow
from services import hours_entries
from services import session_attendance
from services.training_sessions import session_date
from tests.certification_helpers import add_hours
from tests.parallel import at_once
from tests.parallel import clones
from tests.parallel import statuses
from tests.session_setup import build_campus
from tests.session_setup import schedule

TABS = 20


@pytest.fixture
def campus(app, roles, make_unit, make_person, make_user):
    return build_campus(make_unit, make_person, make_user)


def day_total(person_id: int, on: date) -> float:
    db.session.expire_all()
    return db.session.scalar(select(func.coalesce(func.sum(HourEntry.hours), 0.0)).where(
        HourEntry.person_id == person_id, HourEntry.date == on,
        HourEntry.status.in_(("pending", "approved"))))


def test_twenty_tabs_cannot_log_past_twelve_hours_a_day(client, auth, campus):
    day = date.today() - timedelta(days=3)
    add_hours(campus.s1, 8, day)  # a full working day of training already approved
    auth.login("s001@example.edu.cn")
    token = auth.csrf_token("/hours")
    tabs = clones(client, TABS)

    def log(i):  # each tab a different description, so none is taken for a double submit
        return tabs[i].post("/hours", data={
            "csrf_token": token, "date": day.isoformat(), "hours": "1", "activity": "workshop",
            "description": f"第{i + 1}场督导"})

    responses = at_once(log, TABS)

    assert statuses(responses) == {302: 4, 422: TABS - 4}, statuses(responses)
    refused = [r.get_data(as_text=True) for r in responses if r.status_code == 422]
    assert all("At most 12 hours can be logged for one day" in page for page in refused)
    assert day_total(campus.s1.id, day) == 12
    assert db.session.scalar(select(func.count(HourEntry.id))
                             .where(HourEntry.source == "manual")) == 5


def test_attendance_counts_towards_the_day_but_is_never_refused(client, auth, campus):
    session = schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(days=3),
                       minutes=360, hours=6.0)
    day = session_date(session)
    add_hours(campus.s1, 8, day, status="pending")  # logged by hand, waiting for review

    assert session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer) is True
    db.session.commit()

    assert day_total(campus.s1.id, day) == 14, "the trainer's word is not cut to the cap"
    credited = db.session.scalars(select(HourEntry).where(HourEntry.source == "session")).one()
    assert (credited.status, credited.hours) == ("approved", 6.0)
    problems = hours_entries.check_entry(campus.s1, on=day, hours=0.5, activity="workshop",
                                         description="补记", today=day)
    assert problems == ["At most 12 hours can be logged for one day; "
                        "14 are already recorded on that day."]
    auth.login("s001@example.edu.cn")
    response = auth.post("/hours", data={"date": day.isoformat(), "hours": "0.5",
                                         "activity": "workshop", "description": "补记"})
    assert response.status_code == 422
    assert "14 are already recorded on that day" in response.get_data(as_text=True)
