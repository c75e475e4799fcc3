"""services.qualifications: recording with validation, review by an admin in scope only,
withdrawal of pending ones, and which verified types count on a day (S9)."""
import io
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import EvidenceFile
from models import Qualification
from services import certification
from services import qualifications as svc
from services.content import sync_directory
from services.errors import Conflict
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed
from services.evidence import evidence_path
from tests.conftest import CONTENT

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(app, make_unit, make_person, make_user):
    """U1 › CA › KA with counselor 张老师 (a user), U1 › CB, and admins, an auditor, a learner."""
    sync_directory(CONTENT, only=("qualification_types.yaml",))
    u1 = make_unit("U1")
    ca = make_unit("CA", "college", u1)
    cb = make_unit("CB", "college", u1)
    ka = make_unit("KA", "class", ca)
    teacher = make_person("T1", name="张老师", role="counselor", unit=ka)
    other = make_person("T2", name="李老师", role="counselor", unit=ka)
    admin_person = make_person("A1", name="王主任", role="counselor", unit=ca)
    users = {
        "owner": make_user("t1@example.edu.cn", person=teacher),
        "other": make_user("t2@example.edu.cn", person=other),
        "admin": make_user("admin-a@example.edu.cn", grant=("admin", "CA"), person=admin_person),
        "admin-b": make_user("admin-b@example.edu.cn", grant=("admin", cb.code)),
        "auditor": make_user("auditor@example.edu.cn", grant=("auditor", "U1")),
        "super": make_user("super@example.edu.cn", grant=("superadmin", None)),
    }
    return teacher, users


def record(person, by, **changes):
    values = dict(type_code="psych_counselor", issuer="人力资源和社会保障部", number="1234567890",
                  issued_on=date(2020, 6, 1), expires_on=None, evidence=None)
    values.update(changes)
    return svc.record_qualification(person, by=by, **values)


def test_recording_makes_a_pending_audited_record_with_its_evidence(world):
    teacher, users = world
    item = record(teacher, users["owner"], evidence=(io.BytesIO(PDF), "证书.pdf"))
    db.session.commit()
    assert item.status == "pending" and item.person_id == teacher.id
    assert item.evidence.content_type == "application/pdf"
    assert evidence_path(item.evidence).read_bytes() == PDF
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qualification.record"))
    assert event.target_id == str(item.id) and event.detail["person"] == "T1"


@pytest.mark.parametrize("changes, message", [
    ({"type_code": "astrologer"}, "Choose a qualification type from the list."),
    ({"issuer": "  "}, "Enter the issuing body."),
    ({"issuer": "局" * 201}, "The issuing body is longer than 200 characters."),
    ({"number": ""}, "Enter the certificate number."),
    ({"number": "9" * 101}, "The certificate number is longer than 100 characters."),
    ({"issued_on": None}, "Enter the date of issue."),
    ({"issued_on": TODAY + timedelta(days=1)}, "The date of issue cannot be in the future."),
    ({"issued_on": date(1900, 1, 1)}, "The date of issue is too far in the past."),
    ({"expires_on": date(2020, 6, 1)}, "The expiry date must be after the date of issue."),
    ({"expires_on": date(2019, 1, 1)}, "The expiry date must be after the date of issue."),
])
def test_invalid_records_are_refused_with_a_readable_problem(world, changes, message):
    teacher, users = world
    with pytest.raises(ValidationFailed) as caught:
        record(teacher, users["owner"], **changes)
    assert message in caught.value.problems
    assert db.session.scalar(select(func.count()).select_from(Qualification)) == 0


def test_every_problem_is_reported_at_once_and_a_number_of_100_characters_is_fine(world):
    teacher, users = world
    with pytest.raises(ValidationFailed) as caught:
        record(teacher, users["owner"], type_code="x", issuer="", number="")
    assert len(caught.value.problems) == 3
    assert record(teacher, users["owner"], number="9" * 100).number == "9" * 100


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_kept(world):
    teacher, users = world
    with pytest.raises(ValidationFailed) as caught:
        record(teacher, users["owner"], evidence=(io.BytesIO(b"just text"), "scan.pdf"))
    assert caught.value.problems == ["The evidence must be a PDF, JPG or PNG file."]
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


def test_the_same_certificate_twice_is_a_conflict_but_after_a_rejection_it_may_come_again(world):
    teacher, users = world
    first = record(teacher, users["owner"])
    with pytest.raises(Conflict):
        record(teacher, users["owner"])
    svc.review_qualification(first, verify=False, reason="编号无法查询", by=users["admin"])
    assert record(teacher, users["owner"]).status == "pending"


def test_only_the_person_or_an_admin_in_scope_records_for_them(world):
    teacher, users = world
    with pytest.raises(NotFound):
        record(teacher, users["other"])
    with pytest.raises(NotFound):
        record(teacher, users["admin-b"])
    assert record(teacher, users["admin"]).person_id == teacher.id


def test_an_admin_in_scope_verifies_audited_and_the_programs_are_reevaluated(world, monkeypatch):
    teacher, users = world
    calls = []
    monkeypatch.setattr(certification, "reevaluate", lambda person, as_of=None: calls.append(person))
    item = record(teacher, users["owner"])
    svc.review_qualification(item, verify=True, reason="", by=users["admin"])
    assert item.status == "verified" and item.reviewed_by_id == users["admin"].id
    assert item.reviewed_at is not None
    assert calls == [teacher]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qualification.verify"))
    assert event.actor_id == users["admin"].id and event.target_id == str(item.id)


def test_a_rejection_needs_a_reason_which_is_kept_and_audited(world, monkeypatch):
    teacher, users = world
    calls = []
    monkeypatch.setattr(certification, "reevaluate", lambda person, as_of=None: calls.append(person))
    item = record(teacher, users["owner"])
    with pytest.raises(ValidationFailed) as caught:
        svc.review_qualification(item, verify=False, reason="  ", by=users["admin"])
    assert caught.value.problems == ["Give a reason for the rejection."]
    assert item.status == "pending"
    svc.review_qualification(item, verify=False, reason="证书编号与扫描件不符", by=users["super"])
    assert item.status == "rejected" and item.review_reason == "证书编号与扫描件不符"
    assert calls == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qualification.reject"))
    assert event.detail["reason"] == "证书编号与扫描件不符"


@pytest.mark.parametrize("who, error", [
    ("admin-b", NotFound), ("other", NotFound), ("auditor", Forbidden), ("owner", NotFound)])
def test_nobody_else_reviews(world, who, error):
    teacher, users = world
    item = record(teacher, users["owner"])
    with pytest.raises(error):
        svc.review_qualification(item, verify=True, reason="", by=users[who])
    assert item.status == "pending"


def test_an_admin_cannot_review_their_own_and_a_review_happens_once(world):
    teacher, users = world
    own = record(users["admin"].person, users["admin"])
    with pytest.raises(Forbidden):
        svc.review_qualification(own, verify=True, reason="", by=users["admin"])
    item = record(teacher, users["owner"])
    svc.review_qualification(item, verify=True, reason="", by=users["admin"])
    with pytest.raises(Conflict):
        svc.review_qualification(item, verify=False, reason="重复", by=users["admin"])
    assert item.status == "verified"


def test_verified_types_count_only_verified_ones_within_their_dates(world):
    teacher, users = world
    counselor = record(teacher, users["owner"], issued_on=date(2024, 1, 1),
                       expires_on=date(2027, 1, 1))
    social = record(teacher, users["owner"], type_code="social_worker", number="S-1",
                    issued_on=date(2025, 3, 1))
    record(teacher, users["owner"], type_code="psychiatrist", number="P-1")  # stays pending
    rejected = record(teacher, users["owner"], type_code="psych_therapist", number="X-1")
    for item in (counselor, social):
        svc.review_qualification(item, verify=True, reason="", by=users["admin"])
    svc.review_qualification(rejected, verify=False, reason="伪造", by=users["admin"])
    assert svc.verified_types(teacher, date(2026, 12, 31)) == {"psych_counselor", "social_worker"}
    assert svc.verified_types(teacher, date(2027, 1, 1)) == {"social_worker"}  # expired that day
    assert svc.verified_types(teacher, date(2024, 1, 1)) == {"psych_counselor"}  # issued that day
    assert svc.verified_types(teacher, date(2023, 12, 31)) == set()
    assert svc.verified_types(users["other"].person) == set()


def test_the_owner_withdraws_a_pending_one_with_its_file_but_never_a_verified_one(world):
    teacher, users = world
    pending = record(teacher, users["owner"], evidence=(io.BytesIO(PDF), "scan.pdf"))
    path = evidence_path(pending.evidence)
    with pytest.raises(NotFound):
        svc.withdraw_qualification(pending, by=users["admin"])
    svc.withdraw_qualification(pending, by=users["owner"])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Qualification)) == 0
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    assert not path.exists()
    verified = record(teacher, users["owner"])
    svc.review_qualification(verified, verify=True, reason="", by=users["admin"])
    with pytest.raises(Conflict):
        svc.withdraw_qualification(verified, by=users["owner"])
    assert db.session.get(Qualification, verified.id).status == "verified"
