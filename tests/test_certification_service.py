"""Evaluating programs: issue when every requirement is met, hours windows, renewal inside the
window without losing days, expiry at the edges, calendar months, revocation, idempotence."""
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Certificate
from services import certification
from services.certification import certificate_status
from services.certification import program_progress
from services.certification import reevaluate
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from tests.certification_helpers import add_hours
from tests.certification_helpers import add_qualification
from tests.certification_helpers import complete_module
from tests.certification_helpers import make_module
from tests.certification_helpers import make_program
from tests.certification_helpers import make_quiz
from tests.certification_helpers import pass_quiz

D = date


@pytest.fixture
def world(make_unit, make_person):
    """An informant in dorm D1, a subject teacher in C1, and the informant program."""
    university = make_unit("U1")
    college = make_unit("C1", "college", university)
    klass = make_unit("K1", "class", college)
    dorm = make_unit("D1", "dorm", klass)
    informant = make_person("S001", name="李同学", role="dorm_informant", unit=dorm,
                            start=D(2025, 9, 1))
    teacher = make_person("T001", name="王老师", role="subject_teacher", unit=college,
                          start=D(2025, 9, 1))
    program = make_program(renewal={"modules": [], "quizzes": ["informant-quiz"], "hours": 0,
                                    "qualifications": []})
    return {"informant": informant, "teacher": teacher, "program": program, "college": college,
            "module": make_module(), "quiz": make_quiz(), "university": university}


def earn(person, world, on=D(2026, 3, 1), hours_on=D(2026, 2, 1)):
    complete_module(person, world["module"], on)
    pass_quiz(person, world["quiz"], on)
    add_hours(person, 4, hours_on)


def certificates(person) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.person_id == person.id)
                                   .order_by(Certificate.issued)))


def test_a_certificate_is_issued_when_every_requirement_is_met(world):
    person = world["informant"]
    earn(person, world)
    [issued] = reevaluate(person, as_of=D(2026, 3, 5))
    db.session.commit()
    assert (issued.issued, issued.expires, issued.source) == (D(2026, 3, 5), D(2027, 3, 5), "evaluated")
    assert len(issued.code) == 19 and issued.renews_id is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issue"))
    assert event.actor_id is None and event.target_id == issued.code
    assert event.detail["program"] == "informant-basic"


def test_nothing_is_issued_before_the_last_requirement(world):
    person = world["informant"]
    complete_module(person, world["module"], D(2026, 3, 1))
    add_hours(person, 4, D(2026, 2, 1))
    assert reevaluate(person, as_of=D(2026, 3, 5)) == []
    pass_quiz(person, world["quiz"], D(2026, 3, 6), passed=False)
    assert reevaluate(person, as_of=D(2026, 3, 6)) == []
    pass_quiz(person, world["quiz"], D(2026, 3, 7))
    assert reevaluate(person, as_of=D(2026, 3, 6)) == []  # passed after that day
    assert [c.issued for c in reevaluate(person, as_of=D(2026, 3, 7))] == [D(2026, 3, 7)]


def test_hours_count_only_inside_the_window_both_ends_included(world):
    person = world["informant"]
    complete_module(person, world["module"], D(2026, 3, 1))
    pass_quiz(person, world["quiz"], D(2026, 3, 1))
    add_hours(person, 3, D(2025, 3, 5))     # the window's first day (12 months before)
    add_hours(person, 1, D(2025, 3, 4))     # one day too early
    add_hours(person, 5, D(2026, 3, 6))     # after as_of
    add_hours(person, 5, D(2026, 3, 1), status="pending")
    [row] = program_progress(person, as_of=D(2026, 3, 5))
    hours = next(item for item in row.items if item["kind"] == "hours")
    assert (hours["done"], hours["detail"]) == (False, "3/4 h")
    assert reevaluate(person, as_of=D(2026, 3, 5)) == []
    add_hours(person, 1, D(2026, 3, 5))     # as_of itself counts
    assert len(reevaluate(person, as_of=D(2026, 3, 5))) == 1


def test_renewing_early_inside_the_window_loses_no_days(world):
    person = world["informant"]
    earn(person, world, on=D(2026, 1, 5), hours_on=D(2026, 1, 5))
    [first] = reevaluate(person, as_of=D(2026, 1, 10))
    assert first.expires == D(2027, 1, 10)
    pass_quiz(person, world["quiz"], D(2026, 11, 1))  # before the window opens (2026-11-11)
    assert reevaluate(person, as_of=D(2026, 11, 10)) == []
    assert reevaluate(person, as_of=D(2026, 11, 20)) == []  # that pass is too early to count
    assert program_progress(person, as_of=D(2026, 11, 11))[0].state == "due"
    assert program_progress(person, as_of=D(2026, 11, 10))[0].state == "certified"
    pass_quiz(person, world["quiz"], D(2026, 11, 20))
    [renewal] = reevaluate(person, as_of=D(2026, 11, 20))
    assert (renewal.issued, renewal.expires, renewal.renews_id) == (D(2027, 1, 10), D(2028, 1, 10),
                                                                    first.id)
    assert certificate_status(renewal, D(2026, 11, 20)) == "upcoming"
    row = program_progress(person, as_of=D(2026, 11, 20))[0]
    assert (row.state, row.expires, row.certificate.id) == ("certified", D(2028, 1, 10), renewal.id)
    assert reevaluate(person, as_of=D(2026, 12, 1)) == []  # already renewed


def test_without_renewal_requirements_the_full_requirements_renew(world):
    world["program"].renewal = None
    db.session.commit()
    person = world["informant"]
    earn(person, world, on=D(2026, 1, 5), hours_on=D(2026, 1, 5))
    reevaluate(person, as_of=D(2026, 1, 10))
    add_hours(person, 4, D(2026, 12, 1))
    pass_quiz(person, world["quiz"], D(2026, 11, 1))
    assert reevaluate(person, as_of=D(2026, 12, 1)) == []  # passed before the window opened
    version = make_module(version=2, requires_recompletion=True)  # the authors ask again
    pass_quiz(person, world["quiz"], D(2026, 12, 1))
    assert reevaluate(person, as_of=D(2026, 12, 1)) == []  # version 1 no longer counts
    complete_module(person, version, D(2026, 12, 2))
    [renewal] = reevaluate(person, as_of=D(2026, 12, 2))
    assert renewal.issued == D(2027, 1, 10)


def test_validity_edges_issued_day_valid_expiry_day_not(world):
    person = world["informant"]
    earn(person, world, on=D(2026, 1, 5), hours_on=D(2026, 1, 5))
    [cert] = reevaluate(person, as_of=D(2026, 1, 10))
    assert certificate_status(cert, D(2026, 1, 9)) == "upcoming"
    assert certificate_status(cert, D(2026, 1, 10)) == "valid"
    assert certificate_status(cert, D(2027, 1, 9)) == "valid"
    assert certificate_status(cert, D(2027, 1, 10)) == "expired"
    assert program_progress(person, as_of=D(2027, 1, 9))[0].state == "due"
    assert program_progress(person, as_of=D(2027, 1, 10))[0].state == "expired"


@pytest.mark.parametrize("issued, months, expires", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),
    (D(2028, 2, 29), 12, D(2029, 2, 28)),
    (D(2026, 8, 31), 3, D(2026, 11, 30)),
])
def test_expiry_is_calendar_months(world, issued, months, expires):
    world["program"].valid_months = months
    world["program"].renew_window_days = 7
    db.session.commit()
    person = world["informant"]
    earn(person, world, on=issued, hours_on=issued)
    [cert] = reevaluate(person, as_of=issued)
    assert (cert.issued, cert.expires) == (issued, expires)


def test_after_expiry_a_new_period_needs_the_full_requirements_again(world):
    person = world["informant"]
    earn(person, world, on=D(2026, 1, 5), hours_on=D(2026, 1, 5))
    reevaluate(person, as_of=D(2026, 1, 10))
    assert reevaluate(person, as_of=D(2027, 2, 2)) == []  # hours of the old window are gone
    add_hours(person, 4, D(2027, 2, 1))
    assert reevaluate(person, as_of=D(2027, 2, 2)) == []  # the quiz was passed for the old period
    pass_quiz(person, world["quiz"], D(2027, 2, 3))
    [again] = reevaluate(person, as_of=D(2027, 2, 4))  # the module, done once, still counts
    assert (again.issued, again.expires, again.renews_id) == (D(2027, 2, 4), D(2028, 2, 4), None)


def test_a_revoked_certificate_is_not_reissued_from_the_same_evidence(world, make_user):
    person = world["informant"]
    earn(person, world)
    [cert] = reevaluate(person, as_of=D(2026, 3, 5))
    admin = make_user("admin@example.edu.cn", grant=("admin", "C1"))
    certification.revoke_certificate(cert, by=admin, reason="  测验代考  ")
    db.session.commit()
    assert (cert.revoke_reason, cert.revoked_by_id) == ("测验代考", admin.id)
    assert certificate_status(cert, D(2026, 3, 6)) == "revoked"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoke"))
    assert event.actor_id == admin.id and event.detail["reason"] == "测验代考"
    today = date.today()
    assert reevaluate(person, as_of=today) == []
    assert program_progress(person, as_of=today)[0].state == "revoked"
    pass_quiz(person, world["quiz"], today)
    version = make_module(version=2, requires_recompletion=True)
    complete_module(person, version, today)
    add_hours(person, 4, today)
    [fresh] = reevaluate(person, as_of=today)
    assert fresh.issued == today and fresh.id != cert.id


def test_after_a_revocation_only_fresh_hours_count_and_modules_alone_never_reissue(world,
                                                                                 make_user):
    hours_program = make_program(code="hours-only", modules=("silent-dorm",), quizzes=(), hours=2)
    qualified = make_program(code="qualified", modules=(), quizzes=(), hours=0,
                             qualifications=("psych_counselor",))
    person = world["informant"]
    today = date.today()
    complete_module(person, world["module"], D(2026, 1, 5))
    add_hours(person, 2, today - timedelta(days=1))
    add_qualification(person)
    held = {c.program_id: c for c in reevaluate(person, as_of=today)}
    assert set(held) == {hours_program.id, qualified.id}
    admin = make_user("admin@example.edu.cn", grant=("admin", "U1"))
    for certificate in held.values():
        certification.revoke_certificate(certificate, by=admin, reason="核查不符")
    db.session.commit()
    tomorrow = today + timedelta(days=1)
    assert reevaluate(person, as_of=tomorrow) == []  # those hours were before the revocation
    add_hours(person, 2, tomorrow)
    [again] = reevaluate(person, as_of=tomorrow)
    assert (again.program_id, again.issued) == (hours_program.id, tomorrow)
    assert reevaluate(person, as_of=tomorrow + timedelta(days=30)) == []  # qualification only


def test_revoking_needs_an_admin_in_scope_and_a_reason(world, make_user, make_unit):
    person = world["informant"]
    earn(person, world)
    [cert] = reevaluate(person, as_of=D(2026, 3, 5))
    make_unit("U2")
    outsider = make_user("other@example.edu.cn", grant=("admin", "U2"))
    trainer = make_user("trainer@example.edu.cn", grant=("trainer", "U1"))
    admin = make_user("admin@example.edu.cn", grant=("admin", "U1"))
    with pytest.raises(NotFound):
        certification.revoke_certificate(cert, by=outsider, reason="x")
    with pytest.raises(Forbidden):
        certification.revoke_certificate(cert, by=trainer, reason="x")
    with pytest.raises(ValidationFailed):
        certification.revoke_certificate(cert, by=admin, reason="   ")
    assert cert.revoked_at is None
    certification.revoke_certificate(cert, by=admin, reason="资料不实")
    with pytest.raises(Conflict):
        certification.revoke_certificate(cert, by=admin, reason="again")
    assert cert.revoke_reason == "资料不实"


def test_a_program_not_covering_the_role_issues_nothing(world, make_person):
    teacher = world["teacher"]
    earn(teacher, world)
    assert reevaluate(teacher, as_of=D(2026, 3, 5)) == []
    assert program_progress(teacher, as_of=D(2026, 3, 5)) == []
    ended = make_person("S002", role="dorm_informant", unit=world["college"],
                        start=D(2025, 9, 1), end=D(2026, 2, 28))
    earn(ended, world)
    assert reevaluate(ended, as_of=D(2026, 3, 5)) == []
    assert [p.code for p in certification.programs_for_role("dorm_informant")] == ["informant-basic"]
    assert certification.programs_for_role("subject_teacher") == []


def test_evaluating_again_is_idempotent(world):
    person = world["informant"]
    earn(person, world)
    assert len(reevaluate(person, as_of=D(2026, 3, 5))) == 1
    assert reevaluate(person, as_of=D(2026, 3, 5)) == []
    assert reevaluate(person, as_of=D(2026, 6, 1)) == []
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_a_required_qualification_must_be_verified_and_unexpired(world):
    program = make_program(code="mh-pro", roles=("dorm_informant",), modules=(), quizzes=(),
                           hours=0, qualifications=("psych_counselor",))
    person = world["informant"]
    pending = add_qualification(person, status="pending")
    assert reevaluate(person, as_of=D(2026, 3, 5)) == []
    add_qualification(person, expires_on=D(2026, 3, 5))
    assert reevaluate(person, as_of=D(2026, 3, 5)) == []  # expires that day
    pending.status = "verified"
    db.session.commit()
    [cert] = reevaluate(person, as_of=D(2026, 3, 5))
    assert cert.program_id == program.id


def test_progress_lists_items_with_labels_and_states(world):
    person = world["informant"]
    [row] = program_progress(person, as_of=D(2026, 3, 5))
    assert row.state == "not_started" and row.certificate is None
    assert [(i["kind"], i["ref"], i["label"], i["done"]) for i in row.items] == [
        ("module", "silent-dorm", "寝室里的沉默", False),
        ("quiz", "informant-quiz", "信息员测验", False),
        ("hours", "12", "Approved training hours in the last 12 months", False)]
    complete_module(person, world["module"], D(2026, 3, 1))
    row = program_progress(person, as_of=D(2026, 3, 5))[0]
    assert (row.state, row.done) == ("in_progress", 1)
    pass_quiz(person, world["quiz"], D(2026, 3, 1))
    add_hours(person, 4, D(2026, 3, 1))
    reevaluate(person, as_of=D(2026, 3, 5))
    row = program_progress(person, as_of=D(2026, 3, 5))[0]
    assert (row.state, row.expires, row.due_from) == ("certified", D(2027, 3, 5), D(2027, 1, 4))


def test_passing_the_last_quiz_online_issues_the_certificate(world):
    from services import attempts
    from tests.test_attempts import make_quiz as make_online_quiz
    from tests.test_attempts import right_answers

    person = world["informant"]
    today = date.today()
    complete_module(person, world["module"], today)
    add_hours(person, 4, today)
    quiz = make_online_quiz("informant-quiz-online")
    world["program"].requires = dict(world["program"].requires, quizzes=[quiz.slug])
    db.session.commit()
    attempt = attempts.start_attempt(person, quiz)
    attempts.save_answers(attempt, right_answers(attempt))
    attempts.submit_attempt(attempt)
    db.session.commit()
    assert [(c.issued, c.source) for c in certificates(person)] == [(today, "evaluated")]


def test_completing_the_last_module_issues_the_certificate(world):
    from services import training
    from tests.test_training_service import add_module
    from tests.test_training_service import complete

    person = world["informant"]
    today = date.today()
    pass_quiz(person, world["quiz"], today)
    add_hours(person, 4, today)
    version = add_module("walkthrough")
    world["program"].requires = dict(world["program"].requires, modules=["walkthrough"])
    db.session.commit()
    progress = complete(person, version)
    db.session.commit()
    assert progress.completed_at is not None and training.module_status(person, version.module) \
        == "completed"
    assert [c.issued for c in certificates(person)] == [today]


def statements_for(person, as_of) -> int:
    from sqlalchemy import event

    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    db.session.commit()
    person_id = person.id  # loaded before counting, as a caller holding the person has it
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        reevaluate(db.session.get(type(person), person_id), as_of=as_of)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_evaluating_stays_cheap_and_skips_programs_of_other_roles(world):
    earn(world["informant"], world)
    assert statements_for(world["teacher"], D(2026, 3, 5)) <= 3  # programs, roles, certificates
    assert statements_for(world["informant"], D(2026, 3, 5)) <= 9  # + evidence, the insert, audit
    assert statements_for(world["informant"], D(2026, 3, 6)) <= 6  # nothing to issue now


def test_the_hours_that_earned_a_certificate_do_not_renew_it(world):
    """An hours-only program: renewing needs hours done since the renewal window opened."""
    program = make_program(code="hours-only", modules=(), quizzes=(), hours=16, renewal=None)
    person = world["informant"]
    add_hours(person, 12, D(2026, 1, 10))
    add_hours(person, 4, D(2026, 1, 12))
    [first] = [c for c in reevaluate(person, as_of=D(2026, 1, 15)) if c.program_id == program.id]
    assert (first.issued, first.expires) == (D(2026, 1, 15), D(2027, 1, 15))
    # due from 2026-11-16 (60 days before); the 16 hours are still inside the 12-month window
    assert not [c for c in reevaluate(person, as_of=D(2026, 11, 20)) if c.program_id == program.id]
    add_hours(person, 12, D(2026, 11, 21))
    add_hours(person, 4, D(2026, 11, 22))
    [renewal] = [c for c in reevaluate(person, as_of=D(2026, 11, 22)) if c.program_id == program.id]
    assert (renewal.issued, renewal.expires, renewal.renews_id) == (D(2027, 1, 15), D(2028, 1, 15),
                                                                    first.id)
