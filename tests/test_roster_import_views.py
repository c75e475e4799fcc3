"""The roster upload page /import: admins only, every problem listed, all or nothing."""
import io

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import AuditEvent
from models import Person
from models import Unit
from services.roster_import import import_units
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import UNIT_HEADERS
from tests.import_files import UNITS
from tests.import_files import csv_bytes
from tests.import_files import write_file
from tests.import_files import xlsx_bytes


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def upload(auth, kind, name, content: bytes, dry_run=False):
    data = {"kind": kind, "file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return auth.post("/import", data, content_type="multipart/form-data")


@pytest.fixture
def superadmin(auth, make_user):
    """A superadmin who reads English (tests/test_translations.py checks the Chinese page)."""
    user = make_user("root@example.edu.cn", grant=("superadmin", None), locale="en")
    auth.login("root@example.edu.cn")
    return user


@pytest.fixture
def university(app, roles, tmp_path):
    import_units(write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()


def test_the_form_shows_upload_progress_and_the_choices(client, superadmin):
    html = client.get("/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert "data-upload-progress" in html
    for css_class in ("upload-progress", "progress-bar", "upload-status"):
        assert f'class="{css_class}' in html or f" {css_class}" in html
    assert 'name="csrf_token"' in html
    assert 'value="units"' in html and 'value="people"' in html and 'name="dry_run"' in html


def test_a_good_file_is_imported_and_the_counts_are_shown(client, auth, superadmin):
    response = upload(auth, "units", "units.xlsx", xlsx_bytes([UNIT_HEADERS, *UNITS]))
    assert response.headers["Location"] == "/import"
    assert "created 8, updated 0, unchanged 0" in client.get("/import").get_data(as_text=True)
    assert count(Unit) == 8
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.import_units"))
    assert event.actor_id == superadmin.id


def test_every_problem_is_listed_and_nothing_is_written(client, auth, superadmin):
    rows = [UNIT_HEADERS, *UNITS, ["K9", "班", "class", "NOPE", ""], ["K1", "重复", "class", "C1", "x"]]
    response = upload(auth, "units", "units.csv", csv_bytes(rows, "gb18030"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-list' in html
    for problem in ("row 10, column parent: no such unit NOPE",
                    "row 11, column code: duplicate code K1 (also on row 4)",
                    "row 11, column students: must be a whole number of 0 or more"):
        assert f"<li>{problem}</li>" in html
    assert "3 problems were found; nothing was written." in html
    assert count(Unit) == 0


def test_dry_run_writes_nothing(client, auth, superadmin):
    response = upload(auth, "units", "units.csv", csv_bytes([UNIT_HEADERS, *UNITS]), dry_run=True)
    assert response.headers["Location"] == "/import"
    html = client.get("/import").get_data(as_text=True)
    assert "Dry run: the file is valid and nothing was written. It would create 8" in html
    assert count(Unit) == 0
    assert not db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("roster.%"))).all()


def test_people_upload_by_a_college_admin_stays_in_their_college(client, auth, make_user, university):
    make_user("admin-c1@example.edu.cn", grant=("admin", "C1"), locale="en")
    auth.login("admin-c1@example.edu.cn")
    rows = [PEOPLE_HEADERS, ["S001", "张三", "dorm_informant", "D1", "", "", "", ""],
            ["T002", "王老师", "counselor", "C2", "", "", "", ""]]
    response = upload(auth, "people", "people.csv", csv_bytes(rows))
    assert response.status_code == 422
    assert "<li>row 3, column unit: no such unit C2</li>" in response.get_data(as_text=True)
    assert (count(Person), count(Assignment)) == (0, 0)
    response = upload(auth, "people", "people.csv", csv_bytes(rows[:2]))
    assert response.headers["Location"] == "/import"
    assert (count(Person), count(Assignment)) == (1, 1)


def test_a_college_admin_cannot_add_units_elsewhere(client, auth, make_user, university):
    make_user("admin-c1@example.edu.cn", grant=("admin", "C1"), locale="en")
    auth.login("admin-c1@example.edu.cn")
    rows = [UNIT_HEADERS, ["K7", "别院的班", "class", "C2", ""], ["U7", "新大学", "university", "", ""]]
    html = upload(auth, "units", "units.csv", csv_bytes(rows)).get_data(as_text=True)
    assert "<li>row 2, column parent: no such unit C2</li>" in html
    assert "<li>row 3, column kind: only a superadmin may create a university</li>" in html
    assert count(Unit) == len(UNITS)


@pytest.mark.parametrize("grant", [None, ("trainer", "U1"), ("auditor", "U1")])
def test_only_admins_find_the_page(client, auth, make_user, university, grant):
    make_user("someone@example.edu.cn", grant=grant)
    auth.login("someone@example.edu.cn")
    assert client.get("/import").status_code == 404
    content = csv_bytes([UNIT_HEADERS, ["U8", "大学", "university", "", ""]])
    response = upload(auth, "units", "units.csv", content)
    assert response.status_code == 404
    assert count(Unit) == len(UNITS)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/import").headers["Location"].startswith("/login")


@pytest.mark.parametrize("name, message", [
    ("units.xlsm", "Unsupported file type .xlsm"),
    ("units.xlsx", "could not be read as an Excel workbook"),
])
def test_unreadable_files_are_refused_on_the_page(client, auth, superadmin, name, message):
    response = upload(auth, "units", name, b"PK\x03\x04 not a workbook")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_missing_file_is_asked_for(client, auth, superadmin):
    response = auth.post("/import", {"kind": "units"})
    assert response.status_code == 422
    assert "Choose a file to import." in response.get_data(as_text=True)


def test_a_file_over_the_limit_gets_a_clear_413(app, client, auth, superadmin, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = upload(auth, "units", "units.csv", b"code,name,kind,parent\n" + b"x" * 8192)
    assert response.status_code == 413
    assert "The file is too large: at most 4 KB may be uploaded." in response.get_data(as_text=True)
    assert count(Unit) == 0


@pytest.mark.parametrize("kind", ["units", "people"])
def test_the_downloadable_template_imports_cleanly_as_a_dry_run(client, auth, make_user, roles,
                                                                kind, tmp_path):
    make_user("root@example.edu.cn", grant=("superadmin", None), locale="en")
    auth.login("root@example.edu.cn")
    if kind == "people":
        units = client.get("/import/template/units.xlsx").data
        (tmp_path / "units.xlsx").write_bytes(units)
        with open(tmp_path / "units.xlsx", "rb") as stream:
            auth.post("/import", {"kind": "units", "file": (stream, "units.xlsx")},
                      content_type="multipart/form-data")
    response = client.get(f"/import/template/{kind}.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment")
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(response.data)
    with open(path, "rb") as stream:
        result = auth.post("/import", {"kind": kind, "file": (stream, f"{kind}.xlsx"), "dry_run": "y"},
                           content_type="multipart/form-data", follow_redirects=True)
    assert result.status_code == 200, result.get_data(as_text=True)


def test_templates_are_for_admins_only(client, auth, make_user):
    make_user("learner@example.edu.cn")
    auth.login("learner@example.edu.cn")
    assert client.get("/import/template/units.xlsx").status_code == 404
