"""The transcript (SPEC §7): the service's exact shape, the API in and out of scope and for the
person themselves, the printable page and its PDF, at a fixed number of queries."""
import io
from datetime import date
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import insert
from sqlalchemy import select

from extensions import db
from models import Attempt
from models import Certificate
from models import HourEntry
from models import Module
from models import ModuleVersion
from models import Person
from models import Program
from models import Progress
from models import Quiz
from services import accounts
from services.pdf import find_font
from services.transcript import build_transcript
from tests.statements import statements_of_get
from tests.test_api import bearer


@pytest.fixture
def learner(make_unit, make_person, make_user):
    """张三 in class K1 with a module, two attempts, three certificates and four hour entries."""
    uni = make_unit("U1")
    college = make_unit("C1", "college", uni)
    klass = make_unit("K1", "class", college, name="心理1班")
    make_unit("K9", "class", make_unit("C9", "college", uni))
    person = make_person("S001", name="张三", role="class_psych_member", unit=klass,
                         start=date(2024, 9, 1))
    module = Module(slug="silent-dorm")
    db.session.add(module)
    db.session.flush()
    version = ModuleVersion(module_id=module.id, version=2, title="寝室里的沉默", source="---")
    quiz = Quiz(slug="informant-recognition", title="信息员识别能力测验")
    program = Program(code="informant-basic", title="学生信息员基础认证", valid_months=12)
    db.session.add_all([version, quiz, program])
    db.session.flush()
    db.session.add_all([
        Progress(person_id=person.id, module_version_id=version.id, section_reached=3,
                 completed_at=datetime(2025, 10, 1, 8, 30), score=0.75),
        Attempt(person_id=person.id, quiz_id=quiz.id, started_at=datetime(2025, 10, 2, 1),
                submitted_at=datetime(2025, 10, 2, 1, 20), score=0.6, passed=False),
        Attempt(person_id=person.id, quiz_id=quiz.id, started_at=datetime(2025, 10, 3, 1),
                submitted_at=datetime(2025, 10, 3, 1, 15), score=0.9, passed=True),
        Attempt(person_id=person.id, quiz_id=quiz.id, started_at=datetime(2025, 10, 4, 1)),
        Certificate(code="OLDREVOKED", person_id=person.id, program_id=program.id,
                    issued=date(2024, 10, 3), expires=date(2025, 10, 3),
                    revoked_at=datetime(2025, 1, 1), revoke_reason="错误"),
        Certificate(code="CURRENT1", person_id=person.id, program_id=program.id,
                    issued=date(2025, 10, 3), expires=date(2026, 10, 3)),
        Certificate(code="RENEWAL1", person_id=person.id, program_id=program.id,
                    issued=date(2026, 10, 3), expires=date(2027, 10, 3)),
        HourEntry(person_id=person.id, date=date(2025, 10, 1), hours=1.5, activity="module",
                  source="module", source_ref="silent-dorm@2", status="approved"),
        HourEntry(person_id=person.id, date=date(2025, 8, 31), hours=3, activity="workshop",
                  source="import", source_ref="import:x", status="approved"),
        HourEntry(person_id=person.id, date=date(2025, 11, 5), hours=2, activity="supervision",
                  source="manual", status="pending"),
        HourEntry(person_id=person.id, date=date(2025, 11, 6), hours=1, activity="self_study",
                  source="manual", status="rejected"),
    ])
    db.session.commit()
    make_user("learner@example.edu.cn", person=person)
    make_user("admin@example.edu.cn", grant=("admin", "C1"))
    make_user("other@example.edu.cn", grant=("admin", "C9"))
    return person


EXPECTED = {
    "person": {"number": "S001", "name": "张三"},
    "modules": [{"slug": "silent-dorm", "version": 2, "completed_at": "2025-10-01T08:30:00Z",
                 "score": 0.75}],
    "attempts": [
        {"quiz": "informant-recognition", "submitted_at": "2025-10-02T01:20:00Z", "score": 0.6,
         "passed": False},
        {"quiz": "informant-recognition", "submitted_at": "2025-10-03T01:15:00Z", "score": 0.9,
         "passed": True},
    ],
    "certificates": [
        {"code": "OLDREVOKED", "program": "informant-basic", "status": "revoked",
         "issued": "2024-10-03", "expires": "2025-10-03"},
        {"code": "CURRENT1", "program": "informant-basic", "status": "valid",
         "issued": "2025-10-03", "expires": "2026-10-03"},
        # a renewal starting later is listed as valid, with its future issue date
        {"code": "RENEWAL1", "program": "informant-basic", "status": "valid",
         "issued": "2026-10-03", "expires": "2027-10-03"},
    ],
    "hours": {"total": 4.5, "entries": [
        {"date": "2025-08-31", "hours": 3.0, "activity": "workshop", "status": "approved"},
        {"date": "2025-10-01", "hours": 1.5, "activity": "module", "status": "approved"},
        {"date": "2025-11-05", "hours": 2.0, "activity": "supervision", "status": "pending"},
        {"date": "2025-11-06", "hours": 1.0, "activity": "self_study", "status": "rejected"},
    ]},
}


def test_the_service_returns_the_spec_shape(learner):
    assert build_transcript(learner, as_of=date(2026, 3, 1)) == EXPECTED


def test_statuses_follow_as_of(learner):
    later = build_transcript(learner, as_of=date(2027, 1, 1))["certificates"]
    assert [c["status"] for c in later] == ["revoked", "expired", "valid"]
    assert [c["status"] for c in build_transcript(learner, as_of=date(2028, 1, 1))[
        "certificates"]] == ["revoked", "expired", "expired"]


def token_for(email: str) -> str:
    from models import User

    token = accounts.create_token(db.session.scalar(select(User).where(User.email == email)))
    db.session.commit()
    return token


@pytest.mark.parametrize("email, status", [("admin@example.edu.cn", 200),
                                           ("learner@example.edu.cn", 200),
                                           ("other@example.edu.cn", 404)])
def test_the_api_answers_readers_in_scope_and_the_person(client, learner, email, status):
    response = client.get("/api/v1/people/S001/transcript?as_of=2026-03-01",
                          headers=bearer(token_for(email)))
    assert response.status_code == status
    if status == 200:
        assert response.get_json() == EXPECTED
    else:
        assert response.get_json()["error"]["code"] == "not_found"


def test_a_learner_cannot_read_someone_elses_transcript(client, learner, make_person):
    make_person("S002", name="李四", role="class_psych_member",
                unit=db.session.scalar(select(Person).where(Person.number == "S001"))
                .assignments[0].unit)
    token = token_for("learner@example.edu.cn")
    assert client.get("/api/v1/people/S002/transcript", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/people/S001/transcript?as_of=someday",
                      headers=bearer(token)).status_code == 400


def add_history(person: Person, count: int) -> None:
    """`count` more hour entries and submitted attempts, inserted in bulk."""
    quiz_id = db.session.scalar(select(Quiz.id))
    db.session.execute(insert(HourEntry), [
        dict(person_id=person.id, date=date(2024, 1, 1 + n % 28), hours=0.5, activity="workshop",
             source="import", source_ref=f"bulk:{count}:{n}", status="approved")
        for n in range(count)])
    db.session.execute(insert(Attempt), [
        dict(person_id=person.id, quiz_id=quiz_id, started_at=datetime(2024, 2, 1),
             submitted_at=datetime(2024, 2, 1, 0, 10), score=0.5, passed=False)
        for _ in range(count)])
    db.session.commit()


def test_the_api_and_page_issue_the_same_queries_for_a_short_and_a_long_history(client, auth,
                                                                                 learner):
    headers = bearer(token_for("admin@example.edu.cn"))
    api, page = "/api/v1/people/S001/transcript", "/people/S001/transcript"
    auth.login("admin@example.edu.cn")
    add_history(learner, 5)
    small = (statements_of_get(client, api, headers=headers), statements_of_get(client, page))
    add_history(learner, 400)
    assert (statements_of_get(client, api, headers=headers), statements_of_get(client, page)) == small
    assert len(client.get(api, headers=headers).get_json()["hours"]["entries"]) == 409


def test_the_page_shows_the_record_to_the_person(client, auth, learner):
    auth.login("learner@example.edu.cn")
    html = client.get("/transcript").get_data(as_text=True)
    for text in ("寝室里的沉默", "信息员识别能力测验", "学生信息员基础认证", "CURRENT1", "S001",
                 "css/print.css", "/transcript.pdf", "2024–2025", "2025–2026"):
        assert text in html, text
    assert "/transcript" in client.get("/").get_data(as_text=True)
    assert client.get("/people/S001/transcript").status_code == 200  # their own, by number


@pytest.mark.parametrize("email, status", [("admin@example.edu.cn", 200),
                                           ("other@example.edu.cn", 404)])
def test_a_reader_sees_transcripts_in_scope_only(client, auth, learner, email, status):
    auth.login(email)
    assert client.get("/people/S001/transcript").status_code == status
    assert client.get("/people/S001/transcript.pdf").status_code in (status, 302)
    if status == 200:
        assert "/people/S001/transcript" in client.get("/people/S001").get_data(as_text=True)


def test_a_login_without_a_person_has_no_transcript(client, auth, learner, make_user):
    make_user("nobody@example.edu.cn")
    auth.login("nobody@example.edu.cn")
    assert client.get("/transcript").status_code == 404


def test_the_pdf_holds_the_record(client, auth, learner):
    if find_font() is None:
        pytest.skip("no CJK font on this machine (install fonts-noto-cjk or set PDF_FONT)")
    auth.login("learner@example.edu.cn")
    response = client.get("/transcript.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = text.replace("\x00", "")  # pypdf reads fpdf2's CID text with NUL padding
    for expected in ("培训学习档案", "张三", "S001", "寝室里的沉默", "CURRENT1", "已认定"):
        assert expected in text, expected


def test_without_a_font_the_pdf_falls_back_to_the_page(client, auth, learner, app, tmp_path):
    auth.login("learner@example.edu.cn")
    saved = app.config.get("PDF_FONT")
    app.config["PDF_FONT"] = str(tmp_path / "missing.ttf")
    try:
        response = client.get("/transcript.pdf")
    finally:
        app.config["PDF_FONT"] = saved
    assert response.headers["Location"].endswith("/transcript")
    assert "fonts-noto-cjk" in client.get("/transcript").get_data(as_text=True)  # the flashed note
