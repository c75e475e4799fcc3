"""Trainers bring a Moodle bank over from the browser: /author/questions/import."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Question

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = "/author/questions/import"


@pytest.fixture
def people(make_unit, make_user, make_person):
    uni = make_unit("U1")
    learner = make_person("S1", role="dorm_informant", unit=uni)
    return {
        "trainer": make_user("trainer@x.cn", grant=("trainer", "U1"), locale="en"),
        "auditor": make_user("auditor@x.cn", grant=("auditor", "U1")),
        "learner": make_user("learner@x.cn", person=learner),
    }


def upload(auth, name: str, content: bytes, bank="moodle-rec", competency="recognition"):
    return auth.post(PAGE, {"bank": bank, "competency": competency,
                            "file": (io.BytesIO(content), name)},
                     content_type="multipart/form-data")


def count() -> int:
    return db.session.scalar(select(func.count(Question.id)))


def test_a_trainer_imports_a_gift_file_and_sees_counts_and_skipped_questions(auth, people):
    auth.login("trainer@x.cn")
    response = upload(auth, "bank.gift", (FIXTURES / "questions.gift").read_bytes())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Imported into moodle-rec: created 8, updated 0, unchanged 0." in html
    assert "4 questions were skipped" in html
    for name, kind in (("论述题", "essay"), ("配对题", "matching"), ("数值题", "numerical"),
                       ("填空题", "shortanswer")):
        assert f'<li>{name} <span class="text-muted">({kind})</span></li>' in html
    assert count() == 8
    again = upload(auth, "bank.gift", (FIXTURES / "questions.gift").read_bytes())
    assert "created 0, updated 0, unchanged 8." in again.get_data(as_text=True)
    assert count() == 8


def test_an_xml_file_is_read_as_moodle_xml(auth, people):
    auth.login("trainer@x.cn")
    response = upload(auth, "export.xml", (FIXTURES / "questions.xml").read_bytes(), competency="")
    assert response.status_code == 200
    assert "完形题" in response.get_data(as_text=True)
    assert {q.competency for q in db.session.scalars(select(Question))} == {None}


def test_problems_are_listed_and_nothing_is_written(auth, people):
    auth.login("trainer@x.cn")
    response = upload(auth, "bad.gift", "::ok:: Q {=a ~b}\n\n::坏:: Q {~a ~b}\n".encode())
    assert response.status_code == 422
    assert "line 3 (坏): no answer has a positive weight" in response.get_data(as_text=True)
    assert count() == 0


def test_a_file_of_another_kind_is_refused_on_the_form(auth, people):
    auth.login("trainer@x.cn")
    response = upload(auth, "bank.docx", b"PK\x03\x04")
    assert response.status_code == 422
    assert ".gift or .txt for GIFT" in response.get_data(as_text=True)
    assert count() == 0


@pytest.mark.parametrize("who", ["auditor@x.cn", "learner@x.cn"])
def test_only_authors_see_the_page(client, auth, people, who):
    auth.login(who)
    assert client.get(PAGE).status_code == 404


def test_the_anonymous_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.headers["Location"].startswith("/login")
