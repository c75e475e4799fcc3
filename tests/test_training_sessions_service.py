"""Training sessions: scheduling, who they are for, registration under a capacity (also when
two people race for the last seat), attendance that credits hours exactly once, QR codes
that work only in the room and only for a minute or two, and the all-or-nothing import."""
import threading
import time
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Attendance
from models import AuditEvent
from models import HourEntry
from models import TrainingSession
from services import certification
from services import session_attendance
from services import session_checkin
from services import session_import
from services import session_listing
from services import session_registration
from services import training_sessions
from services.errors import Conflict
from services.errors import DomainError
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from services.hours_ledger import approved_hours
from services.session_times import to_local
from tests.session_setup import build_campus
from tests.session_setup import schedule

#: 14:00–15:30 Beijing time on 10 December 2026, stored as UTC
START = datetime(2026, 12, 10, 6, 0)
END = START + timedelta(minutes=90)
BEFORE = datetime(2026, 12, 1, 2, 0)


@pytest.fixture
def campus(app, roles, make_unit, make_person, make_user):
    return build_campus(make_unit, make_person, make_user)


@pytest.fixture
def session(campus):
    return schedule(campus.c1, campus.trainer, starts_at=START)


@pytest.fixture
def reevaluated(monkeypatch):
    """The people certification was asked to re-evaluate, in order."""
    seen = []
    real = certification.reevaluate
    monkeypatch.setattr(certification, "reevaluate", lambda person, as_of=None: (
        seen.append(person.number), real(person, as_of))[1])
    return seen


def entries(person) -> list[HourEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(HourEntry).where(HourEntry.person_id == person.id)
                                   .order_by(HourEntry.id)))


def attendance_rows(session) -> list[Attendance]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)
                                   .order_by(Attendance.person_id)))


# --- scheduling ---------------------------------------------------------------------------

def test_a_session_is_entered_in_beijing_time_and_stored_in_utc(campus):
    fields = training_sessions.SessionFields(
        title=" 督导会 ", starts_at=datetime(2026, 12, 10, 7, 30), ends_at=datetime(2026, 12, 10, 9, 0),
        hours=1.5, activity="supervision", roles=["dorm_informant", "dorm_informant"], capacity=30)
    session = training_sessions.create_session(campus.c1, fields, by=campus.trainer)
    db.session.commit()
    assert (session.title, session.starts_at, session.ends_at) == (
        "督导会", datetime(2026, 12, 9, 23, 30), datetime(2026, 12, 10, 1, 0))
    assert training_sessions.session_date(session) == date(2026, 12, 10), "its local date"
    assert session.roles == ["dorm_informant"] and session.capacity == 30
    assert len(session.checkin_secret) >= 40
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session.created"))
    assert event.actor_id == campus.trainer.id and event.target_id == str(session.id)
    assert training_sessions.SessionFields.of(session).starts_at == datetime(2026, 12, 10, 7, 30)


@pytest.mark.parametrize("change, message", [
    ({"hours": 0.25}, "half-hour steps"),
    ({"hours": 12.5}, "half-hour steps"),
    ({"hours": 0}, "half-hour steps"),
    ({"ends_at": datetime(2026, 12, 10, 13, 0)}, "end after it starts"),
    ({"activity": "self_study"}, "Unknown activity"),
    ({"roles": ["astronaut"]}, "Unknown role: astronaut"),
    ({"capacity": 0}, "at least 1"),
    ({"title": "  "}, "needs a title"),
])
def test_scheduling_rules_are_enforced(campus, change, message):
    values = dict(title="工作坊", starts_at=datetime(2026, 12, 10, 14, 0),
                  ends_at=datetime(2026, 12, 10, 16, 0), hours=2.0)
    values.update(change)
    with pytest.raises(ValidationFailed) as error:
        training_sessions.create_session(campus.c1, training_sessions.SessionFields(**values),
                                         by=campus.trainer)
    assert any(message in p for p in error.value.problems), error.value.problems


def test_only_trainers_and_admins_of_the_unit_schedule_and_change_sessions(campus, session):
    fields = training_sessions.SessionFields.of(session)
    with pytest.raises(NotFound):
        training_sessions.create_session(campus.c1, fields, by=campus.other_admin)
    with pytest.raises(NotFound):
        training_sessions.create_session(campus.c1, fields, by=campus.auditor)
    with pytest.raises(NotFound):
        training_sessions.update_session(session, fields, by=campus.other_admin)
    with pytest.raises(Forbidden):
        training_sessions.update_session(session, fields, by=campus.auditor)
    with pytest.raises(Forbidden):
        training_sessions.cancel_session(session, by=campus.auditor)


def test_a_learner_sees_a_session_meant_for_them_and_nobody_else_does(campus, session, make_user):
    assert training_sessions.get_session(campus.learner, session.id).id == session.id
    assert training_sessions.get_session(campus.auditor, session.id).id == session.id
    outsider = make_user("s003@example.edu.cn", person=campus.s3)
    for user in (outsider, campus.other_admin):
        with pytest.raises(NotFound):
            training_sessions.get_session(user, session.id)
    with pytest.raises(NotFound):
        training_sessions.get_session(campus.learner, session.id + 100)


def test_editing_a_session_moves_the_hours_already_credited(campus, session, reevaluated):
    session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer, now=START)
    fields = training_sessions.SessionFields.of(session)
    fields.hours, fields.title = 3.0, "危机识别工作坊（加长）"
    fields.starts_at += timedelta(days=1)
    fields.ends_at += timedelta(days=1, hours=1)
    training_sessions.update_session(session, fields, by=campus.trainer)
    db.session.commit()
    [entry] = entries(campus.s1)
    assert (entry.hours, entry.date, entry.description, entry.status) == (
        3.0, date(2026, 12, 11), "危机识别工作坊（加长）", "approved")
    assert reevaluated == ["S001", "S001"]


def test_cancelling_refuses_once_someone_attended(campus, session):
    other = schedule(campus.c1, campus.trainer, starts_at=START)
    session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer, now=START)
    with pytest.raises(Conflict):
        training_sessions.cancel_session(session, by=campus.trainer)
    training_sessions.cancel_session(other, by=campus.trainer, now=BEFORE)
    training_sessions.cancel_session(other, by=campus.trainer)
    assert other.cancelled_at == BEFORE, "cancelling twice keeps the first time"
    with pytest.raises(Conflict):
        session_registration.register(other, campus.s1, now=BEFORE)


# --- who it is for ------------------------------------------------------------------------

def test_upcoming_lists_sessions_above_my_units_for_my_roles(campus, session):
    for_me = schedule(campus.k1, campus.trainer, starts_at=START + timedelta(hours=1),
                      roles=["dorm_informant"], title="信息员专场")
    schedule(campus.c1, campus.trainer, starts_at=START, roles=["counselor"], title="辅导员专场")
    schedule(campus.c2, campus.other_admin, starts_at=START, title="理学院")
    schedule(campus.uni, None, starts_at=BEFORE - timedelta(days=2), title="已结束")
    cancelled = schedule(campus.uni, None, starts_at=START, title="已取消")
    training_sessions.cancel_session(cancelled, by=None)
    db.session.commit()
    found = session_listing.upcoming_for(campus.s1, now=BEFORE)
    assert [row[0].title for row in found.items] == [session.title, for_me.title]
    assert [row[0].title for row in session_listing.upcoming_for(campus.s1, "专场", now=BEFORE)
            .items] == ["信息员专场"]
    assert [row[0].title for row in session_listing.upcoming_for(campus.s3, now=BEFORE).items] == [
        "理学院"], "the other college sees its own only"
    psych = session_listing.upcoming_for(campus.s2, now=BEFORE)
    assert [row[0].title for row in psych.items] == [session.title], "not the informants' one"


def test_managers_list_the_sessions_of_their_units_with_counts(campus, session):
    schedule(campus.c2, campus.other_admin, starts_at=START, title="理学院")
    session_registration.register(session, campus.s1, now=BEFORE)
    session_attendance.mark_present(session, campus.s2, "list", by=campus.trainer, now=START)
    db.session.commit()
    rows = session_listing.managed_sessions(campus.trainer, now=BEFORE).items
    assert [(s.title, registered, present) for s, registered, present in rows] == [
        (session.title, 1, 1)]
    assert session_listing.managed_sessions(campus.trainer, show="past", now=BEFORE).total == 0
    assert session_listing.managed_sessions(campus.trainer, show="past",
                                            now=END + timedelta(days=1)).total == 1


# --- registration -------------------------------------------------------------------------

def test_registering_is_idempotent_and_capacity_is_kept(campus, make_person):
    session = schedule(campus.c1, campus.trainer, starts_at=START, capacity=2)
    first = session_registration.register(session, campus.s1, now=BEFORE)
    again = session_registration.register(session, campus.s1, now=BEFORE + timedelta(hours=1))
    assert again.id == first.id and again.registered_at == BEFORE
    session_registration.register(session, campus.s2, now=BEFORE)
    third = make_person("S004", role="dorm_informant", unit=campus.d1)
    with pytest.raises(Conflict, match="full"):
        session_registration.register(session, third, now=BEFORE)
    assert session_registration.unregister(session, campus.s2, now=BEFORE) is True
    assert session_registration.unregister(session, campus.s2, now=BEFORE) is False
    session_registration.register(session, third, now=BEFORE)
    db.session.commit()
    assert session_attendance.counts(session) == (2, 0)


def test_only_eligible_people_register_and_only_before_the_start(campus, session):
    targeted = schedule(campus.c1, campus.trainer, starts_at=START, roles=["counselor"])
    with pytest.raises(Forbidden):
        session_registration.register(targeted, campus.s1, now=BEFORE)
    with pytest.raises(Forbidden):
        session_registration.register(session, campus.s3, now=BEFORE)
    with pytest.raises(Conflict, match="started"):
        session_registration.register(session, campus.s1, now=START)
    session_registration.register(session, campus.s1, now=BEFORE)
    with pytest.raises(Conflict, match="started"):
        session_registration.unregister(session, campus.s1, now=START + timedelta(minutes=1))


def test_two_people_racing_for_the_last_seat_get_one_seat(app, campus, monkeypatch):
    session = schedule(campus.c1, campus.trainer, starts_at=utcnow_plus(days=2), capacity=1)
    session_id, people = session.id, [campus.s1.id, campus.s2.id]
    db.session.commit()
    real_count = session_registration.registered_count

    def slow_count(s):  # both would see a free seat if the count were not behind the lock
        found = real_count(s)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(session_registration, "registered_count", slow_count)
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(i):
        from models import Person

        with app.app_context():
            s = db.session.get(TrainingSession, session_id)
            person = db.session.get(Person, people[i])
            barrier.wait()
            try:
                session_registration.register(s, person)
                db.session.commit()
                outcomes[i] = "registered"
            except Conflict as error:
                db.session.rollback()
                outcomes[i] = error.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This session is full.", "registered"]
    db.session.expire_all()
    assert session_attendance.counts(db.session.get(TrainingSession, session_id)) == (1, 0)


def utcnow_plus(**delta) -> datetime:
    from models.base import utcnow

    return utcnow() + timedelta(**delta)


# --- attendance and hours -----------------------------------------------------------------

def test_marking_twice_gives_one_attendance_and_one_approved_entry(campus, session, reevaluated):
    assert session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer,
                                           now=START) is True
    assert session_attendance.mark_present(session, campus.s1, "qr", now=START) is False
    db.session.commit()
    [row] = attendance_rows(session)
    assert (row.present_at, row.method, row.marked_by_id, row.registered_at) == (
        START, "list", campus.trainer.id, None), "a walk-in, marked once"
    [entry] = entries(campus.s1)
    assert (entry.source, entry.source_ref, entry.status, entry.activity, entry.date,
            entry.hours, entry.description) == (
        "session", f"session:{session.id}", "approved", "workshop", date(2026, 12, 10), 2.0,
        session.title)
    assert approved_hours(campus.s1) == 2.0
    assert reevaluated == ["S001"]


def test_attendance_needs_the_window_open_and_the_person_in_the_unit(campus, session):
    with pytest.raises(Conflict, match="30 minutes"):
        session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer,
                                        now=START - timedelta(minutes=31))
    with pytest.raises(Forbidden, match="S003"):
        session_attendance.mark_present(session, campus.s3, "list", by=campus.trainer, now=START)
    with pytest.raises(NotFound):
        session_attendance.mark_present(session, campus.s1, "list", by=campus.other_admin,
                                        now=START)
    assert session_attendance.mark_present(session, campus.s2, "list", by=campus.trainer,
                                           now=END + timedelta(days=3)), "ticked days later"


def test_unmarking_rejects_the_hours_and_marking_again_approves_them(campus, session, reevaluated):
    session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer, now=START)
    assert session_attendance.unmark(session, campus.s1, by=campus.trainer, now=END) is True
    assert session_attendance.unmark(session, campus.s1, by=campus.trainer, now=END) is False
    db.session.commit()
    [entry] = entries(campus.s1)
    assert (entry.status, entry.review_reason) == ("rejected", "attendance removed")
    assert approved_hours(campus.s1) == 0
    assert attendance_rows(session)[0].present_at is None
    assert session_attendance.mark_present(session, campus.s1, "list", by=campus.trainer,
                                           now=END) is True
    db.session.commit()
    [entry] = entries(campus.s1)
    assert (entry.status, entry.review_reason) == ("approved", "")
    assert approved_hours(campus.s1) == 2.0
    assert reevaluated == ["S001", "S001", "S001"]


def test_ticking_a_list_marks_and_unmarks(campus, session):
    for person in (campus.s1, campus.s2):
        session_registration.register(session, person, now=BEFORE)
    session_attendance.mark_present(session, campus.s2, "list", by=campus.trainer, now=START)
    listed = {campus.s1.id, campus.s2.id, campus.s3.id}  # s3 is not on the list: ignored
    marked, unmarked = session_attendance.take_attendance(
        session, {campus.s1.id, campus.s3.id}, listed, by=campus.trainer, now=START)
    db.session.commit()
    assert (marked, unmarked) == (1, 1)
    assert [(r.person_id, r.present_at is not None) for r in attendance_rows(session)] == [
        (campus.s1.id, True), (campus.s2.id, False)]
    with pytest.raises(Forbidden):
        session_attendance.take_attendance(session, set(), listed, by=campus.auditor, now=START)


# --- QR check-in --------------------------------------------------------------------------

@pytest.mark.parametrize("offset, ok", [
    (-timedelta(minutes=30), True),
    (-timedelta(minutes=30, seconds=1), False),
    (timedelta(minutes=90 + 15), True),
    (timedelta(minutes=90 + 15, seconds=1), False),
])
def test_the_check_in_window_opens_30_minutes_early_and_closes_15_after(campus, session,
                                                                        offset, ok):
    now = START + offset
    token = session_checkin.current_token(session, now)
    if ok:
        assert session_checkin.check_in(session, campus.s1, token, now) is True
    else:
        with pytest.raises(Conflict, match="not opened yet|closed"):
            session_checkin.check_in(session, campus.s1, token, now)
        assert attendance_rows(session) == []


def test_a_code_lasts_its_minute_and_the_next_only(campus, session):
    now = START + timedelta(minutes=10)
    slot = session_checkin.slot_of(now)
    assert len(session_checkin.token_for(session, slot)) == 16
    assert session_checkin.token_is_valid(session, session_checkin.token_for(session, slot), now)
    assert session_checkin.token_is_valid(session, session_checkin.token_for(session, slot - 1), now)
    other = schedule(campus.c1, campus.trainer, starts_at=START)
    for bad in (session_checkin.token_for(session, slot - 2), "x" * 16, "",
                session_checkin.token_for(other, slot)):
        with pytest.raises(DomainError, match="expired or is not valid"):
            session_checkin.check_in(session, campus.s1, bad, now)
    assert attendance_rows(session) == []


def test_checking_in_twice_credits_once(campus, session):
    now = START + timedelta(minutes=5)
    token = session_checkin.current_token(session, now)
    assert session_checkin.check_in(session, campus.s1, token, now) is True
    assert session_checkin.check_in(session, campus.s1, token, now + timedelta(seconds=30)) is False
    db.session.commit()
    assert [(r.method, r.present_at) for r in attendance_rows(session)] == [("qr", now)]
    assert [(e.status, e.hours) for e in entries(campus.s1)] == [("approved", 2.0)]


def test_only_people_of_the_unit_check_in(campus, session):
    now = START
    token = session_checkin.current_token(session, now)
    with pytest.raises(Forbidden, match="教育学院"):
        session_checkin.check_in(session, campus.s3, token, now)
    with pytest.raises(Forbidden, match="not linked"):
        session_checkin.check_in(session, None, token, now)


# --- import -------------------------------------------------------------------------------

def csv_file(tmp_path, *lines: str):
    path = tmp_path / "attendance.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_with_any_bad_row_marks_nobody(campus, session, tmp_path, make_user):
    path = csv_file(tmp_path, "工号/学号,姓名", "S001,李同学", "S404,无此人", "S003,赵同学",
                    "S001,李同学", ",")
    with pytest.raises(ValidationFailed) as error:
        session_import.import_attendance(session, path, by=campus.trainer, now=END)
    assert error.value.problems == [
        "row 3, column 工号/学号: no person has the number S404",
        "row 4, column 工号/学号: no person has the number S003",  # outside the trainer's scope
        "row 5, column 工号/学号: S001 is listed twice (first on row 2)",
    ]
    boss = make_user("boss@example.edu.cn", grant=("admin", "U1"))
    with pytest.raises(ValidationFailed) as error:
        session_import.import_attendance(session, csv_file(tmp_path, "number", "S003"), by=boss,
                                         now=END)
    assert error.value.problems == ["row 2, column number: S003 is not in 教育学院"]
    db.session.rollback()
    assert attendance_rows(session) == [] and entries(campus.s1) == []


def test_an_import_marks_everyone_and_counts_those_already_present(campus, session, tmp_path):
    session_attendance.mark_present(session, campus.s2, "qr", now=START)
    path = csv_file(tmp_path, "number", "S001", "S002")
    dry = session_import.import_attendance(session, path, by=campus.trainer, dry_run=True, now=END)
    assert (dry.new, dry.already_present) == (1, 1)
    assert [r.person_id for r in attendance_rows(session)] == [campus.s2.id], "a dry run writes nothing"
    result = session_import.import_attendance(session, path, by=campus.trainer, now=END)
    db.session.commit()
    assert (result.new, result.already_present) == (1, 1)
    assert [(r.person_id, r.method) for r in attendance_rows(session)] == [
        (campus.s1.id, "import"), (campus.s2.id, "qr")]
    again = session_import.import_attendance(session, path, by=campus.trainer, now=END)
    assert (again.new, again.already_present) == (0, 2)
    assert db.session.scalar(select(func.count(HourEntry.id))) == 2


def test_the_local_date_is_used_for_an_early_morning_session(campus):
    early = schedule(campus.c1, campus.trainer, starts_at=datetime(2026, 12, 9, 23, 30))
    assert to_local(early.starts_at) == datetime(2026, 12, 10, 7, 30)
    session_attendance.mark_present(early, campus.s1, "list", by=campus.trainer,
                                    now=datetime(2026, 12, 10, 0, 0))
    assert [e.date for e in entries(campus.s1)] == [date(2026, 12, 10)]


def test_the_command_imports_attendance_all_or_nothing(campus, session, runner, tmp_path):
    session.starts_at = utcnow_plus(minutes=-10)
    session.ends_at = utcnow_plus(minutes=80)
    db.session.commit()
    bad = runner.invoke(args=["hours", "attendance", str(session.id),
                              str(csv_file(tmp_path, "number", "S001", "S404"))])
    assert bad.exit_code == 1
    assert "row 3, column number: no person has the number S404" in bad.stderr
    assert attendance_rows(session) == []
    outside = runner.invoke(args=["hours", "attendance", str(session.id),
                                  str(csv_file(tmp_path, "number", "S003"))])
    assert outside.exit_code == 1 and "S003 is not in 教育学院" in outside.stderr
    good = runner.invoke(args=["hours", "attendance", str(session.id),
                               str(csv_file(tmp_path, "number", "S001", "S002"))])
    assert (good.exit_code, good.stdout) == (0, "marked present 2, already present 0\n")
    assert [r.method for r in attendance_rows(session)] == ["import", "import"]
    missing = runner.invoke(args=["hours", "attendance", "999999", str(tmp_path / "attendance.csv")])
    assert missing.exit_code == 1 and "No session with id 999999" in missing.stderr
