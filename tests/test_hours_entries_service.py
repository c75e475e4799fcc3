"""Logging hours by hand and reviewing them: the limits, withdrawals, approvals and audit."""
import io
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import EvidenceFile
from models import HourEntry
from services import hours_entries
from services import hours_review
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed

PDF = b"%PDF-1.4\n" + b"0" * 500
DAY = date.today() - timedelta(days=3)


@pytest.fixture
def world(make_unit, make_person, make_user):
    """Two colleges; a learner in each; an admin of the first (with a person of their own)."""
    uni = make_unit("U1")
    college_a = make_unit("CA", "college", uni)
    college_b = make_unit("CB", "college", uni)
    learner = make_person("S1", "张三", "dorm_informant", college_a)
    other = make_person("S2", "李四", "dorm_informant", college_b)
    admin_person = make_person("T1", "王老师", "counselor", college_a)
    user = make_user("s1@example.edu.cn", person=learner)
    admin = make_user("admin@example.edu.cn", grant=("admin", "CA"), person=admin_person)
    return dict(learner=learner, other=other, user=user, admin=admin, admin_person=admin_person,
                other_user=make_user("s2@example.edu.cn", person=other))


def log(world, hours=1.0, on=DAY, activity="workshop", description="校心理中心危机干预工作坊",
        person=None, **kwargs):
    person = person or world["learner"]
    entry = hours_entries.log_hours(person, on=on, hours=hours, activity=activity,
                                    description=description, by=world["user"], **kwargs)
    db.session.commit()
    return entry


def entries_of(person) -> list[HourEntry]:
    return list(db.session.scalars(select(HourEntry).where(HourEntry.person_id == person.id)
                                   .order_by(HourEntry.id)))


def add_entry(person, hours, source, status="approved", on=DAY, ref=None):
    db.session.add(HourEntry(person_id=person.id, date=on, hours=hours, activity="workshop",
                             source=source, source_ref=ref, status=status))
    db.session.commit()


def test_a_logged_entry_is_pending_manual_and_audited(world):
    entry = log(world, hours=2.5)
    assert (entry.status, entry.source, entry.source_ref, entry.hours) == ("pending", "manual", None, 2.5)
    assert entry.created_by_id == world["user"].id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hours.log"))
    assert event.actor_id == world["user"].id and event.detail["hours"] == 2.5


@pytest.mark.parametrize("hours, ok", [(0.5, True), (1, True), (11.5, True), (12, True),
                                       (1.25, False), (0.3, False), (0, False), (-1, False),
                                       ("abc", False), (float("inf"), False)])
def test_hours_come_in_half_hour_steps_above_zero(world, hours, ok):
    if ok:
        assert log(world, hours=hours).hours == float(hours)
    else:
        with pytest.raises(ValidationFailed) as error:
            log(world, hours=hours)
        assert any("0.5" in p or "more than 0" in p for p in error.value.problems)
        assert entries_of(world["learner"]) == []


def test_twelve_hours_a_day_count_every_source_pending_and_approved(world):
    learner = world["learner"]
    add_entry(learner, 2, "module", ref="silent-dorm@1")
    add_entry(learner, 4, "session", ref="session:1")
    add_entry(learner, 6, "import", status="rejected", ref="row:1")  # rejected: not counted
    log(world, hours=5)  # pending manual: counted
    with pytest.raises(ValidationFailed, match="At most 12 hours") as error:
        log(world, hours=1.5, description="另一个工作坊")
    assert "11 are already recorded" in error.value.problems[0]
    assert log(world, hours=1, description="另一个工作坊").hours == 1
    # another day is a fresh 12
    assert log(world, hours=12, on=DAY - timedelta(days=1)).hours == 12


def test_future_dates_unknown_activities_and_missing_descriptions_are_refused(world):
    with pytest.raises(ValidationFailed) as error:
        hours_entries.log_hours(world["learner"], on=date.today() + timedelta(days=1), hours=1,
                                activity="party", description="  ", by=world["user"])
    problems = error.value.problems
    assert problems == ["The date cannot be in the future.",
                        "Choose the kind of activity from the list.",
                        "Describe the training (what, who ran it, where)."]
    with pytest.raises(ValidationFailed, match="at most 2000 characters"):
        log(world, description="字" * 2001)
    assert log(world, on=date.today(), activity="case_seminar", description="字" * 2000).date == date.today()


def test_evidence_is_stored_only_when_the_entry_is_valid(app, world):
    uploads = Path(app.config["UPLOAD_DIR"])
    before = set(uploads.glob("*"))
    with pytest.raises(ValidationFailed):
        log(world, hours=13, evidence=(io.BytesIO(PDF), "证明.pdf"))
    assert set(uploads.glob("*")) == before
    entry = log(world, evidence=(io.BytesIO(PDF), "证明.pdf"))
    assert entry.evidence.content_type == "application/pdf"
    assert entry.evidence.person_id == world["learner"].id


def test_the_same_entry_sent_twice_is_recorded_once(world):
    first = log(world, hours=2)
    assert log(world, hours=2).id == first.id
    assert len(entries_of(world["learner"])) == 1


def test_a_pending_entry_can_be_edited_or_withdrawn_but_never_disappears(world):
    entry = log(world, hours=10)
    hours_entries.edit_hours(entry, on=DAY, hours=11, activity="supervision",
                             description="个体督导", by=world["user"])  # its own 10 h do not count
    db.session.commit()
    assert (entry.hours, entry.activity) == (11, "supervision")
    hours_entries.withdraw_hours(entry, by=world["user"])
    hours_entries.withdraw_hours(entry, by=world["user"])  # a second click changes nothing
    db.session.commit()
    assert entry.status == "rejected" and hours_entries.is_withdrawn(entry)
    assert entries_of(world["learner"]) == [entry]
    assert log(world, hours=12, description="全天工作坊").hours == 12  # withdrawn hours are free again
    with pytest.raises(Conflict):
        hours_entries.edit_hours(entry, on=DAY, hours=1, activity="workshop", description="x",
                                 by=world["user"])
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("hours.%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["hours.log", "hours.edit", "hours.withdraw", "hours.log"]


def test_own_entry_hides_other_peoples_entries(world):
    entry = log(world)
    with pytest.raises(NotFound):
        hours_entries.own_entry(world["other"], entry.id)
    assert hours_entries.own_entry(world["learner"], entry.id) is entry


def test_approving_sets_the_reviewer_audits_and_reevaluates(world, monkeypatch):
    seen = []
    monkeypatch.setattr(hours_review.certification, "reevaluate", lambda p, as_of=None: seen.append(p.number))
    entry = log(world, hours=3)
    result = hours_review.review_entries([entry.id], approve=True, reason="", by=world["admin"])
    db.session.commit()
    assert result.changed == [entry]
    assert (entry.status, entry.reviewed_by_id) == ("approved", world["admin"].id)
    assert entry.reviewed_at is not None
    assert seen == ["S1"]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == str(entry.id),
                                                             AuditEvent.action.like("hours.a%"))) \
        == "hours.approve"
    again = hours_review.review_entries([entry.id], approve=True, reason="", by=world["admin"])
    assert again.changed == [] and again.unchanged == [entry]
    with pytest.raises(Conflict):
        hours_review.review_entries([entry.id], approve=False, reason="重复", by=world["admin"])


def test_rejecting_needs_a_reason_the_learner_reads(world):
    entry = log(world)
    with pytest.raises(ValidationFailed, match="reason"):
        hours_review.review_entries([entry.id], approve=False, reason="  ", by=world["admin"])
    assert entry.status == "pending"
    hours_review.review_entries([entry.id], approve=False, reason="无证明材料", by=world["admin"])
    db.session.commit()
    assert (entry.status, entry.review_reason) == ("rejected", "无证明材料")
    assert not hours_entries.is_withdrawn(entry)


def test_a_bulk_decision_with_one_entry_outside_the_scope_changes_nothing(world):
    mine = log(world)
    theirs = hours_entries.log_hours(world["other"], on=DAY, hours=1, activity="workshop",
                                     description="讲座", by=world["other_user"])
    db.session.commit()
    with pytest.raises(NotFound):
        hours_review.review_entries([mine.id, theirs.id], approve=True, reason="", by=world["admin"])
    db.session.rollback()
    assert {mine.status, theirs.status} == {"pending"}
    with pytest.raises(NotFound):
        hours_review.review_entries([theirs.id], approve=True, reason="", by=world["admin"])


def test_nobody_reviews_their_own_hours(world):
    own = hours_entries.log_hours(world["admin_person"], on=DAY, hours=1, activity="conference",
                                  description="学术会议", by=world["admin"])
    db.session.commit()
    with pytest.raises(Forbidden):
        hours_review.review_entries([own.id], approve=True, reason="", by=world["admin"])


def test_the_queue_lists_pending_entries_in_scope_oldest_first(world):
    newer = log(world, on=DAY)
    older = log(world, on=DAY - timedelta(days=5), description="更早")
    hours_entries.log_hours(world["other"], on=DAY, hours=1, activity="workshop",
                            description="讲座", by=world["other_user"])
    db.session.commit()
    found = hours_review.review_queue(world["admin"])
    assert [e.id for e in found.items] == [older.id, newer.id]
    assert hours_review.review_queue(world["admin"], q="张").total == 2
    assert hours_review.review_queue(world["admin"], q="李").total == 0
    assert hours_review.review_queue(world["admin"], activity="supervision").total == 0


def test_yearly_totals_split_approved_and_pending(world):
    learner = world["learner"]
    add_entry(learner, 3, "module", on=date(2025, 5, 1), ref="a@1")
    add_entry(learner, 2, "module", on=date(2026, 5, 1), ref="b@1")
    add_entry(learner, 9, "import", status="rejected", on=date(2026, 5, 2), ref="r")
    log(world, hours=1.5, on=date(2026, 6, 1))
    totals = [(t.year, t.approved, t.pending) for t in hours_entries.year_totals(learner)]
    assert totals == [(2026, 2.0, 1.5), (2025, 3.0, 0.0)]
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
