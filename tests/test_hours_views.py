"""The hour pages through the client: logging with evidence, upload refusals, the review
permissions (another unit's admin 404, auditor 403), bulk decisions, fixed query counts."""
import io
import re
from datetime import date
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.datastructures import MultiDict
from werkzeug.test import encode_multipart

from extensions import db
from models import Assignment
from models import EvidenceFile
from models import HourEntry
from models import Person
from tests.conftest import csrf_token_from
from tests.statements import statements_of_get

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + b"0" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
DAY = date.today() - timedelta(days=2)


@pytest.fixture
def world(make_unit, make_person, make_user):
    uni = make_unit("U1")
    college_a = make_unit("CA", "college", uni)
    make_unit("CB", "college", uni)
    learner = make_person("S1", "张三", "dorm_informant", college_a)
    make_user("learner@example.edu.cn", person=learner)
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    make_user("admin-b@example.edu.cn", grant=("admin", "CB"))
    make_user("auditor-a@example.edu.cn", grant=("auditor", "CA"))
    make_user("trainer-a@example.edu.cn", grant=("trainer", "CA"))
    return dict(learner=learner, college_a=college_a)


def form(hours="1.5", activity="workshop", description="危机干预工作坊", on=DAY, **extra):
    return dict(date=on.isoformat(), hours=hours, activity=activity, description=description, **extra)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def uploads(app) -> set[Path]:
    return set(Path(app.config["UPLOAD_DIR"]).glob("*"))


def pending(person, n=1, hours=1.0):
    """n pending manual entries for `person`, as the service would leave them."""
    entries = [HourEntry(person_id=person.id, date=DAY - timedelta(days=i), hours=hours,
                         activity="workshop", source="manual", status="pending",
                         description=f"工作坊{i}") for i in range(n)]
    db.session.add_all(entries)
    db.session.commit()
    return entries


def test_a_learner_logs_hours_with_a_pdf_and_sees_them_pending(app, client, auth, world):
    auth.login("learner@example.edu.cn")
    response = auth.post("/hours", form(evidence=(io.BytesIO(PDF), "培训证明.pdf")))
    assert response.headers["Location"] == "/hours"
    entry = db.session.scalar(select(HourEntry))
    assert (entry.hours, entry.status, entry.source) == (1.5, "pending", "manual")
    assert entry.evidence.content_type == "application/pdf"
    page = client.get("/hours").get_data(as_text=True)
    assert 'data-status="pending"' in page and "培训证明.pdf" in page
    assert "alert-success" in page  # the flash saying it waits for approval
    link = re.search(r'href="(/evidence/\d+)"', page).group(1)
    with client.get(link) as served:
        assert served.data == PDF and served.mimetype == "application/pdf"


def test_a_file_one_byte_over_10_mb_is_refused_and_nothing_is_saved(app, client, auth, world):
    before = uploads(app)
    auth.login("learner@example.edu.cn")
    big = PDF + b"0" * (app.config["MAX_EVIDENCE_BYTES"] + 1 - len(PDF))
    # encoded in memory: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart(MultiDict(dict(form(csrf_token=auth.csrf_token("/")),
                                                     evidence=FileStorage(io.BytesIO(big), "big.pdf"))))
    response = client.post("/hours?lang=en", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422
    assert "10 MB" in response.get_data(as_text=True)  # the limit is named in the message
    assert (count(HourEntry), count(EvidenceFile)) == (0, 0)
    assert uploads(app) == before


@pytest.mark.parametrize("content", [b"just some text, not a PDF", b"MZ\x90\x00 a windows program"])
def test_a_file_renamed_to_pdf_is_refused_by_its_content(app, client, auth, world, content):
    before = uploads(app)
    auth.login("learner@example.edu.cn")
    response = auth.post("/hours?lang=en", form(evidence=(io.BytesIO(content), "certificate.pdf")))
    assert response.status_code == 422
    assert "PDF, JPG or PNG" in response.get_data(as_text=True)
    assert (count(HourEntry), count(EvidenceFile)) == (0, 0)
    assert uploads(app) == before


def test_a_png_named_pdf_is_kept_as_the_png_it_is(app, client, auth, world):
    auth.login("learner@example.edu.cn")
    auth.post("/hours", form(evidence=(io.BytesIO(PNG), "scan.pdf")))
    item = db.session.scalar(select(EvidenceFile))
    assert item.content_type == "image/png"
    with client.get(f"/evidence/{item.id}") as served:
        assert served.mimetype == "image/png"


def test_broken_rules_are_listed_on_the_page_and_nothing_is_written(client, auth, world):
    auth.login("learner@example.edu.cn")
    response = auth.post("/hours?lang=en", form(hours="1.25", description=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "steps of 0.5" in text and "Describe the training" in text
    assert count(HourEntry) == 0


def test_someone_elses_entry_cannot_be_edited_or_withdrawn(client, auth, world, make_person):
    theirs = pending(make_person("S2", "李四", "dorm_informant", world["college_a"]))[0]
    auth.login("learner@example.edu.cn")
    assert client.get(f"/hours/{theirs.id}/edit").status_code == 404
    assert auth.post(f"/hours/{theirs.id}/withdraw").status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == "pending"


def test_an_account_outside_the_roster_sees_no_form_and_cannot_post(client, auth, world):
    auth.login("admin-a@example.edu.cn")
    assert 'name="hours"' not in client.get("/hours").get_data(as_text=True)
    assert auth.post("/hours", form()).status_code == 403


def test_a_learner_edits_and_withdraws_a_pending_entry(client, auth, world):
    entry = pending(world["learner"])[0]
    auth.login("learner@example.edu.cn")
    assert auth.post(f"/hours/{entry.id}/edit", form(hours="2")).headers["Location"] == "/hours"
    db.session.refresh(entry)
    assert entry.hours == 2
    assert auth.post(f"/hours/{entry.id}/withdraw").headers["Location"] == "/hours"
    db.session.refresh(entry)
    assert entry.status == "rejected"
    assert 'data-status="withdrawn"' in client.get("/hours").get_data(as_text=True)
    assert client.get(f"/hours/{entry.id}/edit").status_code == 409


def test_admin_of_the_unit_approves_and_the_learner_sees_it(client, auth, world):
    entry = pending(world["learner"])[0]
    auth.login("admin-a@example.edu.cn")
    queue = client.get("/hours/review").get_data(as_text=True)
    assert "张三" in queue and f'value="{entry.id}"' in queue
    response = auth.post(f"/hours/review/{entry.id}", {"decision": "approve", "next": "/hours/review?q=张"})
    assert unquote(response.headers["Location"]) == "/hours/review?q=张"
    db.session.refresh(entry)
    assert entry.status == "approved"
    auth.logout()
    auth.login("learner@example.edu.cn")
    assert 'data-status="approved"' in client.get("/hours").get_data(as_text=True)


def test_a_rejection_reason_reaches_the_learner(client, auth, world):
    entry = pending(world["learner"])[0]
    auth.login("trainer-a@example.edu.cn")
    response = auth.post(f"/hours/review/{entry.id}?lang=en", {"decision": "reject", "reason": ""})
    assert response.status_code == 422
    assert "Give a reason for rejecting" in response.get_data(as_text=True)
    auth.post(f"/hours/review/{entry.id}", {"decision": "reject", "reason": "请补充签到表"})
    auth.logout()
    auth.login("learner@example.edu.cn")
    page = client.get("/hours").get_data(as_text=True)
    assert 'data-status="rejected"' in page and "请补充签到表" in page


def test_another_units_admin_gets_404_for_the_entry(client, auth, world):
    entry = pending(world["learner"])[0]
    auth.login("admin-b@example.edu.cn")
    assert client.get(f"/hours/review/{entry.id}").status_code == 404
    assert auth.post(f"/hours/review/{entry.id}", {"decision": "approve"}).status_code == 404
    assert auth.post("/hours/review", {"ids": [entry.id], "decision": "approve"}).status_code == 404
    assert "张三" not in client.get("/hours/review").get_data(as_text=True)
    assert client.get("/hours/review?unit=CA").status_code == 200  # filter: error shown, not a leak
    db.session.refresh(entry)
    assert entry.status == "pending"


def test_an_auditor_reads_but_gets_403_on_post(client, auth, world):
    entry = pending(world["learner"])[0]
    auth.login("auditor-a@example.edu.cn")
    page = client.get(f"/hours/review/{entry.id}")
    assert page.status_code == 200 and 'value="approve"' not in page.get_data(as_text=True)
    assert "张三" in client.get("/hours/review").get_data(as_text=True)
    assert auth.post(f"/hours/review/{entry.id}", {"decision": "approve"}).status_code == 403
    assert auth.post("/hours/review", {"ids": [entry.id], "decision": "approve"}).status_code == 403
    db.session.refresh(entry)
    assert entry.status == "pending"


def test_a_learner_without_grants_gets_403_on_the_review_pages(client, auth, world):
    auth.login("learner@example.edu.cn")
    assert client.get("/hours/review").status_code == 403
    assert client.get("/hours/totals").status_code == 403


def test_bulk_approve_and_a_bulk_reject_without_reason(client, auth, world, make_person):
    other = make_person("S2", "李四", "dorm_informant", world["college_a"])
    first, second = pending(world["learner"])[0], pending(other)[0]
    auth.login("admin-a@example.edu.cn")
    response = auth.post("/hours/review?activity=workshop",
                         {"ids": [first.id, second.id], "decision": "reject", "reason": " "})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f'value="{first.id}" id="tick-{first.id}" checked' in text  # the ticks survive
    response = auth.post("/hours/review?lang=en", {"ids": [first.id, second.id]})  # no button
    assert response.status_code == 422 and "approve or reject" in response.get_data(as_text=True)
    response = auth.post("/hours/review?activity=workshop",
                         {"ids": [first.id, second.id], "decision": "approve"})
    assert response.headers["Location"] == "/hours/review?activity=workshop"
    db.session.expire_all()
    assert {e.status for e in db.session.scalars(select(HourEntry))} == {"approved"}
    assert "2" in client.get("/hours/review").get_data(as_text=True)


def test_the_queue_filters_by_unit_and_search(client, auth, world, make_unit, make_person):
    klass = make_unit("CA-K1", "class", world["college_a"])
    other = make_person("S2", "李四", "dorm_informant", klass)
    pending(world["learner"]), pending(other)
    auth.login("admin-a@example.edu.cn")
    page = client.get("/hours/review?unit=CA-K1").get_data(as_text=True)
    assert "李四" in page and "张三" not in page
    page = client.get("/hours/review?q=S1").get_data(as_text=True)
    assert "张三" in page and "李四" not in page


def bulk_pending(unit, role, prefix: str, n: int) -> None:
    db.session.execute(db.insert(Person), [dict(number=f"{prefix}{i:05d}", name=f"人{i}") for i in range(n)])
    ids = db.session.scalars(select(Person.id).where(Person.number.like(f"{prefix}%"))).all()
    db.session.execute(db.insert(Assignment), [dict(person_id=p, role_id=role.id, unit_id=unit.id,
                                                    start=date(2026, 1, 1)) for p in ids])
    db.session.execute(db.insert(HourEntry), [dict(person_id=p, date=DAY, hours=1.0, activity="workshop",
                                                   source="manual", status="pending", description="x")
                                              for p in ids])
    db.session.commit()


def test_the_review_queue_and_my_hours_take_the_same_queries_at_any_size(client, auth, world, roles):
    learner = world["learner"]
    auth.login("admin-a@example.edu.cn")
    counts = []
    for size in (5, 300):
        bulk_pending(world["college_a"], roles["dorm_informant"], f"P{size}-", size)
        counts.append(statements_of_get(client, "/hours/review"))
    assert counts[0] == counts[1], counts
    auth.logout()
    auth.login("learner@example.edu.cn")
    mine = []
    for size in (3, 120):
        db.session.add_all(HourEntry(person_id=learner.id, date=DAY - timedelta(days=i), hours=0.5,
                                     activity="module", source="module", source_ref=f"{size}-{i}",
                                     status="approved") for i in range(size))
        db.session.commit()
        mine.append(statements_of_get(client, "/hours"))
    assert mine[0] == mine[1], mine


def test_the_review_form_carries_a_csrf_token(client, auth, world):
    pending(world["learner"])
    auth.login("admin-a@example.edu.cn")
    assert csrf_token_from(client.get("/hours/review").get_data(as_text=True))
