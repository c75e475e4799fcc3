"""Problems a newcomer's review found, each pinned by what a user would notice."""
import pytest
from sqlalchemy import select

from extensions import db
from models import Person
from models import Unit
from models import User
from tests.import_files import write_file


@pytest.fixture
def campus(make_unit, make_person, make_user):
    """University U1 › college CA › class KA, an admin of CA, and a superadmin."""
    uni = make_unit("U1", name="一大")
    college = make_unit("CA", "college", uni, name="心理学院")
    klass = make_unit("KA", "class", college, name="心理1班")
    other = make_unit("CB", "college", uni, name="工学院")
    make_person("PA1", name="张三", role="counselor", unit=college)
    make_person("PA1", role="counselor", unit=other)
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    make_user("super@example.edu.cn", grant=("superadmin", None))
    return {"uni": uni, "college": college, "klass": klass, "other": other}


@pytest.mark.parametrize("query", ["endpoint=x", "_method=POST", "_external=1", "_anchor=x"])
def test_pagination_links_ignore_query_arguments_meant_for_url_for(client, auth, campus,
                                                                 make_person, query):
    for n in range(60):
        make_person(f"PX{n:03d}", role="class_teacher", unit=campus["klass"])
    auth.login("admin-a@example.edu.cn")
    response = client.get(f"/people?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/people?page=2"' in html
    assert 'href="http' not in html and "#x" not in html


def test_pagination_links_stay_on_the_page_whatever_the_query(client, auth, campus, make_unit):
    for n in range(30):
        make_unit(f"KA{n:02d}", "class", campus["college"])
    auth.login("admin-a@example.edu.cn")
    html = client.get("/units/CA?code=CB").get_data(as_text=True)
    assert 'href="/units/CA?page=2"' in html and "/units/CB" not in html


@pytest.mark.parametrize("method, path, data, status", [
    ("post", "/login", {"username": "a\x00b", "password": "x"}, 400),
    ("get", "/audit?q=%00", None, 400),
    ("get", "/audit?action=a%00", None, 400),
    ("get", "/audit?q=ok&q=a%00", None, 400),
    ("post", "/login", {"username": ["a", "b\x00"], "password": "x"}, 400),
    ("post", "/profile/tokens", {"name": "a\x00b"}, 400),
    ("get", "/grants/C%00A", None, 404),
])
def test_a_typed_nul_character_is_refused_everywhere(client, auth, campus, method, path, data,
                                                      status):
    """PostgreSQL cannot store NUL: each of these was a 500 there."""
    auth.login("super@example.edu.cn")
    if method == "post":
        response = auth.post(path, data)
    else:
        response = client.get(path)
    assert response.status_code == status


def test_a_nul_in_an_api_code_is_a_json_404(runner, client, campus):
    token = runner.invoke(args=["tokens", "create", "super@example.edu.cn"]).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/units/C%00A", "/api/v1/people/P%00A"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/grants/remove/99999999999999999999",
                                  "/profile/tokens/9223372036854775808/revoke",
                                  "/assignments/99999999999999999999/end"])
def test_an_id_too_large_for_the_database_is_not_found(client, auth, campus, path):
    auth.login("admin-a@example.edu.cn")
    assert auth.post(path).status_code == 404


def test_a_huge_student_count_is_a_row_error_not_a_crash(runner, campus, tmp_path):
    path = write_file(tmp_path, "units.csv", [["code", "name", "kind", "parent", "students"],
                                                ["KB", "班", "class", "CA", "99999999999999999999"]])
    result = runner.invoke(args=["roster", "units", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("row 2, column students: ")
    assert db.session.scalar(select(Unit).where(Unit.code == "KB")) is None


def test_codes_and_numbers_with_a_slash_are_refused(runner, campus, tmp_path, client, auth):
    """/units/A/B and /people/1/2 could never be opened, in the pages or the API."""
    units = write_file(tmp_path, "units.csv", [["code", "name", "kind", "parent"],
                                                 ["KA/2", "班", "class", "CA"]])
    result = runner.invoke(args=["roster", "units", str(units)])
    assert result.exit_code == 1
    assert result.stderr.startswith("row 2, column code: ")
    people = write_file(tmp_path, "people.csv", [["number", "name", "role", "unit"],
                                                   ["2026/1", "李四", "counselor", "CA"]])
    result = runner.invoke(args=["roster", "people", str(people)])
    assert result.exit_code == 1
    assert result.stderr.startswith("row 2, column number: ")
    auth.login("admin-a@example.edu.cn")
    page = auth.post("/units/CA/assignments", {"number": "2026/2", "name": "王五",
                                               "role": "counselor", "start": "2026-09-01"})
    assert page.status_code == 200  # the form again, with the problem
    assert db.session.scalar(select(Person).where(Person.number.contains("/"))) is None


def test_person_page_shows_only_assignments_in_the_readers_scope(client, auth, campus):
    auth.login("admin-a@example.edu.cn")
    html = client.get("/people/PA1").get_data(as_text=True)
    assert 'href="/units/CA"' in html
    assert "工学院" not in html and 'href="/units/CB"' not in html


@pytest.mark.parametrize("email, name", [("not-an-email", "安妮"), ("", "安妮"),
                                         ("ann@example.edu.cn", ""),
                                         ("ann@example.edu.cn", "名" * 101)])
def test_users_create_refuses_a_bad_email_or_name(runner, email, name):
    result = runner.invoke(args=["users", "create", email, "--name", name,
                                 "--password", "long-enough-1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert db.session.scalar(select(User)) is None


def test_cli_speaks_chinese_under_a_chinese_lang(runner, campus, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = runner.invoke(args=["tokens", "create", "nobody@example.edu.cn"])
    assert result.exit_code == 1
    assert "nobody@example.edu.cn" in result.stderr and "No user" not in result.stderr
    path = write_file(tmp_path, "units.csv", [["code", "name", "kind", "parent"],
                                               ["KB", "", "class", "CA"]])
    result = runner.invoke(args=["roster", "units", str(path)])
    assert result.exit_code == 1
    assert "nothing was written" not in result.stderr


def test_api_person_lists_only_assignments_in_the_callers_scope(client, campus):
    from services import accounts

    admin = accounts.find_login("admin-a@example.edu.cn")
    token = accounts.create_token(admin)
    db.session.commit()
    body = client.get("/api/v1/people/PA1", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [a["unit"] for a in body["assignments"]] == ["CA"]
