"""Every upload form, fed any bytes under any name, answers a page (200, a redirect, 413 or
422) and never a server error; evidence that is refused leaves no file behind."""
import io
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from extensions import db
from models import EvidenceFile
from models import Question
from models import QuestionBank
from models import Quiz
from models.base import utcnow
from services.content import sync_directory
from tests.conftest import CONTENT
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import csv_bytes
from tests.import_files import xlsx_bytes
from tests.property_inputs import FUZZ
from tests.property_inputs import mutated_bytes
from tests.session_setup import build_campus
from tests.session_setup import schedule

NAMES = ["f.xlsx", "f.csv", "f.xlsm", "f.gift", "f.txt", "f.xml", "f.pdf", "f.png", "f.jpg", "f",
         "../../f.csv", "f.XLSX", "名单.csv", ".csv", "f.csv\x00.exe"]
SAMPLES = [xlsx_bytes([PEOPLE_HEADERS, ["S001", "李同学", "dorm_informant", "D1"]]),
           csv_bytes([["number", "s1"], ["S001", "A"]]), b"::q:: a {=b ~c}\n", b"%PDF-1.4\n%%EOF\n",
           b"\x89PNG\r\n\x1a\n" + bytes(32), b"\xff\xd8\xff\xe0" + bytes(32),
           b'<?xml version="1.0"?><quiz><question type="truefalse"/></quiz>']
contents = st.one_of(st.binary(max_size=400), st.sampled_from(SAMPLES),
                     st.sampled_from(SAMPLES).flatmap(mutated_bytes))
OK = {200, 302, 303, 413, 422}


def post(client, token: str, path: str, fields: dict, field: str, name: str, content: bytes):
    """POST a multipart form encoded in memory (the test client would spool a large body to
    a temporary file it never closes)."""
    data = dict(fields, csrf_token=token)
    data[field] = FileStorage(io.BytesIO(content), name)
    boundary, body = encode_multipart(data)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def campus(app, auth, make_unit, make_person, make_user):
    campus = build_campus(make_unit, make_person, make_user)
    sync_directory(CONTENT, only=("qualification_types.yaml",))
    bank = QuestionBank(slug="b1", title="b1")
    db.session.add(Question(qid="s1", bank=bank, position=0, type="single", competency="recognition",
                            stem="s1", options=[{"text": "a", "correct": True, "feedback": ""},
                                                {"text": "b", "correct": False, "feedback": ""}]))
    db.session.add(Quiz(slug="paper", title="纸笔", pass_mark=0.8, questions=["s1"]))
    db.session.commit()
    campus.session = schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(minutes=5))
    make_user("root@example.edu.cn", grant=("superadmin", None), locale="en")
    return campus


@FUZZ
@given(form=st.sampled_from(["roster units", "roster people", "questions", "answer sheets", "attendance"]),
       name=st.sampled_from(NAMES), content=contents)
def test_any_file_on_a_staff_upload_form_gets_a_page(campus, client, auth, form, name, content):
    if not getattr(client, "signed_in", False):
        auth.login("root@example.edu.cn")
        client.signed_in, client.token = True, auth.csrf_token("/")
    path, fields = {
        "roster units": ("/import", {"kind": "units"}),
        "roster people": ("/import", {"kind": "people"}),
        "questions": ("/author/questions/import", {"bank": "fuzz", "competency": ""}),
        "answer sheets": ("/author/quizzes/paper/results", {"sat_on": "2026-10-15"}),
        "attendance": (f"/sessions/{campus.session.id}/import", {}),
    }[form]
    response = post(client, client.token, path, fields, "file", name, content)
    assert response.status_code in OK, response.get_data(as_text=True)[:300]


def stored() -> int:
    return len(list(Path(current_app.config["UPLOAD_DIR"]).glob("*")))


@FUZZ
@given(form=st.sampled_from(["hours", "qualification"]), name=st.sampled_from(NAMES), content=contents,
       number=st.integers(0, 10**6))
def test_any_evidence_file_is_stored_whole_or_not_at_all(campus, client, auth, form, name, content, number):
    if not getattr(client, "signed_in", False):
        auth.login("s001@example.edu.cn")
        client.signed_in, client.token = True, auth.csrf_token("/")
    files, rows = stored(), db.session.scalar(select(func.count(EvidenceFile.id)))
    path, fields, field = {
        "hours": ("/hours", {"date": date.today().isoformat(), "hours": "0.5", "activity": "workshop",
                             "description": f"fuzz {number}"}, "evidence"),
        "qualification": ("/qualifications", {"type": "psych_counselor", "issuer": "x",
                                              "number": str(number), "issued_on": "2024-01-01"}, "evidence"),
    }[form]
    response = post(client, client.token, path, fields, field, name, content)
    assert response.status_code in OK, response.get_data(as_text=True)[:300]
    added_rows = db.session.scalar(select(func.count(EvidenceFile.id))) - rows
    assert stored() - files == added_rows


@pytest.mark.parametrize("who, path, field", [
    ("root", "/import", "file"), ("root", "/author/questions/import", "file"),
    ("root", "/author/quizzes/paper/results", "file"), ("root", "/sessions/{id}/import", "file"),
    ("s001", "/hours", "evidence"), ("s001", "/qualifications", "evidence")])
def test_every_upload_past_the_request_limit_is_a_413_before_any_reading(campus, app, client, auth,
                                                                         monkeypatch, who, path, field):
    auth.login(f"{who}@example.edu.cn")
    token = auth.csrf_token("/")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    files = stored()
    response = post(client, token, path.format(id=campus.session.id), {}, field, "f.pdf",
                    b"%PDF-1.4\n" + bytes(8192))
    assert response.status_code == 413
    assert stored() == files
