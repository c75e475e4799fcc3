"""The qualification pages: a person records one with a scan, an admin in scope verifies or
rejects it from the review queue, and readers see verified ones on the person's page."""
import io
from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from fpdf import FPDF
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from extensions import db
from models import Assignment
from models import Person
from models import Qualification
from models import Unit
from services.content import sync_directory
from tests.conftest import CONTENT

FORM = {"type": "psych_counselor", "issuer": "人力资源和社会保障部", "number": "ZX-2020-0042",
        "issued_on": "2020-06-01", "expires_on": ""}
FORM_DATE = date(2020, 6, 1)


def real_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Certificate ZX-2020-0042")
    return bytes(pdf.output())


@pytest.fixture
def world(app, make_unit, make_person, make_user):
    """U1 › CA › KA with counselor T1 (a user) and U1 › CB, with one user of each kind."""
    sync_directory(CONTENT, only=("qualification_types.yaml",))
    u1 = make_unit("U1")
    ca = make_unit("CA", "college", u1)
    make_unit("CB", "college", u1)
    ka = make_unit("KA", "class", ca)
    teacher = make_person("T1", name="张老师", role="counselor", unit=ka)
    for email, grant, person in [("t1@x.cn", None, teacher), ("admin-a@x.cn", ("admin", "CA"), None),
                                 ("admin-b@x.cn", ("admin", "CB"), None),
                                 ("auditor@x.cn", ("auditor", "U1"), None)]:
        make_user(email, grant=grant, person=person, locale="en")
    return teacher


def submit(auth, filename=None, content=b"", **changes):
    """POST the form as a browser would, encoded in memory (the test client would spool a
    big body to a temporary file it never closes)."""
    data = dict(FORM, csrf_token=auth.csrf_token("/"), **changes)
    if filename:
        data["evidence"] = FileStorage(io.BytesIO(content), filename)
    boundary, body = encode_multipart(data)
    return auth.client.post("/qualifications", data=body,
                            content_type=f"multipart/form-data; boundary={boundary}")


def stored_files() -> list[Path]:
    return sorted(Path(current_app.config["UPLOAD_DIR"]).glob("*"))


def pending(world) -> Qualification:
    return db.session.scalar(select(Qualification).where(Qualification.person_id == world.id))


def test_a_person_records_a_qualification_with_a_real_pdf_and_can_open_it(client, auth, world):
    auth.login("t1@x.cn")
    pdf = real_pdf()
    response = submit(auth, "证书扫描.pdf", pdf)
    assert response.headers["Location"] == "/qualifications"
    item = pending(world)
    assert item.status == "pending" and item.number == "ZX-2020-0042"
    html = client.get("/qualifications").get_data(as_text=True)
    assert "awaits review" in html and "Awaiting review" in html and "ZX-2020-0042" in html
    link = f'href="/evidence/{item.evidence_id}"'
    assert link in html
    with client.get(f"/evidence/{item.evidence_id}") as served:
        assert served.status_code == 200 and served.mimetype == "application/pdf"
        assert served.data == pdf


@pytest.mark.parametrize("filename, content, message", [
    ("scan.pdf", b"This is only text, renamed to .pdf\n", "The evidence must be a PDF, JPG or PNG file."),
    ("scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "The evidence file is larger than 10 MB."),
    ("scan.exe", b"%PDF-1.4\n", "The evidence must be a PDF, JPG or PNG file."),
])
def test_a_bad_evidence_file_is_refused_and_nothing_is_kept(client, auth, world, filename, content,
                                                             message):
    auth.login("t1@x.cn")
    before = stored_files()
    response = submit(auth, filename, content)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Qualification)) == 0
    assert stored_files() == before


def test_form_problems_are_shown_in_place(client, auth, world):
    auth.login("t1@x.cn")
    html = submit(auth, expires_on="2019-01-01").get_data(as_text=True)
    assert "The expiry date must be after the date of issue." in html
    html = submit(auth, type="astrologer", number="").get_data(as_text=True)
    assert "Not a valid choice" in html and "This field is required." in html
    assert db.session.scalar(select(func.count()).select_from(Qualification)) == 0


def test_an_admin_in_scope_verifies_from_the_queue_and_readers_see_it_on_the_person_page(
        client, auth, world):
    auth.login("t1@x.cn")
    submit(auth, "scan.pdf", real_pdf())
    item = pending(world)
    auth.logout()
    auth.login("admin-a@x.cn")
    html = client.get("/qualifications/review").get_data(as_text=True)
    assert "张老师" in html and "ZX-2020-0042" in html and "Psychological counselor" in html
    assert f'href="/evidence/{item.evidence_id}"' in html
    with client.get(f"/evidence/{item.evidence_id}") as served:
        assert served.status_code == 200
    response = auth.post(f"/qualifications/{item.id}/review", {"reason": "", "verify": "verify"})
    assert response.headers["Location"] == "/qualifications/review"
    db.session.refresh(item)
    assert item.status == "verified"
    assert "Nothing awaits review." in client.get("/qualifications/review").get_data(as_text=True)
    auth.logout()
    auth.login("auditor@x.cn")
    person_page = client.get("/people/T1").get_data(as_text=True)
    assert "Verified qualifications" in person_page and "ZX-2020-0042" in person_page
    auth.logout()
    auth.login("t1@x.cn")
    assert ">Verified<" in client.get("/qualifications").get_data(as_text=True)


def test_a_rejection_needs_a_reason_and_the_person_reads_it(client, auth, world):
    auth.login("t1@x.cn")
    submit(auth)
    item = pending(world)
    auth.logout()
    auth.login("admin-a@x.cn")
    auth.post(f"/qualifications/{item.id}/review", {"reason": "", "reject": "reject"})
    assert "Give a reason for the rejection." in client.get("/qualifications/review").get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == "pending"
    auth.post(f"/qualifications/{item.id}/review", {"reason": "扫描件看不清", "reject": "reject"})
    db.session.refresh(item)
    assert item.status == "rejected"
    auth.logout()
    auth.login("t1@x.cn")
    html = client.get("/qualifications").get_data(as_text=True)
    assert "Rejected" in html and "扫描件看不清" in html


@pytest.mark.parametrize("who, status", [("admin-b@x.cn", 404), ("auditor@x.cn", 403),
                                         ("t1@x.cn", 404)])
def test_only_an_admin_in_scope_may_review(client, auth, world, who, status):
    auth.login("t1@x.cn")
    submit(auth)
    item = pending(world)
    auth.logout()
    auth.login(who)
    response = auth.post(f"/qualifications/{item.id}/review", {"reason": "", "verify": "verify"})
    assert response.status_code == status
    db.session.refresh(item)
    assert item.status == "pending"
    if who == "admin-b@x.cn":
        assert "张老师" not in client.get("/qualifications/review").get_data(as_text=True)


@pytest.mark.parametrize("who", ["t1@x.cn", "auditor@x.cn"])
def test_learners_and_readers_cannot_open_the_review_queue(client, auth, world, who):
    auth.login(who)
    assert client.get("/qualifications/review").status_code == 403
    assert "/qualifications/review" not in client.get("/qualifications").get_data(as_text=True)


def test_the_queue_is_searchable_by_name_and_number(client, auth, world, make_person):
    other = make_person("T2", name="李老师", role="counselor",
                        unit=db.session.scalar(select(Unit).where(Unit.code == "KA")))
    db.session.add_all([Qualification(person_id=p.id, type="social_worker", issuer="民政部",
                                      number=f"N-{p.number}", issued_on=FORM_DATE) for p in (world, other)])
    db.session.commit()
    auth.login("admin-a@x.cn")
    by_name = client.get("/qualifications/review?q=李").get_data(as_text=True)
    assert "N-T2" in by_name and "N-T1" not in by_name
    by_number = client.get("/qualifications/review?q=t1").get_data(as_text=True)
    assert "N-T1" in by_number and "N-T2" not in by_number


def test_a_pending_qualification_can_be_withdrawn_by_its_owner(client, auth, world):
    auth.login("t1@x.cn")
    submit(auth, "scan.pdf", real_pdf())
    item = pending(world)
    response = auth.post(f"/qualifications/{item.id}/withdraw")
    assert response.headers["Location"] == "/qualifications"
    assert db.session.scalar(select(func.count()).select_from(Qualification)) == 0
    assert "ZX-2020-0042" not in client.get("/qualifications").get_data(as_text=True)


def test_the_review_page_issues_the_same_statements_for_5_and_120_pending(client, auth, world,
                                                                          roles):
    unit_id = db.session.scalar(select(Assignment.unit_id).where(Assignment.person_id == world.id))
    auth.login("admin-a@x.cn")
    counts, statements = [], []

    def count(*args):
        statements.append(args[2])

    for size, prefix in ((5, "S"), (120, "L")):
        db.session.execute(db.insert(Person), [dict(number=f"{prefix}{n:04d}", name=f"人{n}")
                                               for n in range(size)])
        ids = db.session.scalars(select(Person.id).where(Person.number.like(f"{prefix}%"))).all()
        db.session.execute(db.insert(Assignment), [dict(person_id=i, role_id=roles["counselor"].id,
                                                        unit_id=unit_id, start=FORM_DATE) for i in ids])
        db.session.execute(db.insert(Qualification), [dict(person_id=i, type="psych_counselor",
                                                           issuer="人社部", number=f"Q{i}",
                                                           issued_on=FORM_DATE, status="pending")
                                                      for i in ids])
        db.session.commit()
        client.get("/qualifications/review")  # warm up
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.get("/qualifications/review?page=2")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200
        counts.append(len(statements))
        statements.clear()
    assert "Page 2 of 3" in response.get_data(as_text=True)
    assert counts[0] == counts[1] <= 6, counts
