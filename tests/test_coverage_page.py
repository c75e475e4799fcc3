"""The coverage page: figures as SPEC §5 counts them, drill-down links, the people and
units behind each figure, scope, and a fixed number of statements."""

from extensions import db
from tests.statements import statements_of_get
from tests.test_api_queries import bulk_people
from tests.test_api_queries import bulk_units
from tests.test_coverage_rule import tree  # noqa: F401  (fixture)

DAY = "as_of=2026-11-28"


def test_an_admin_sees_the_figures_and_children_worst_first(app, tree, client, auth,  # noqa: F811
                                                             make_user):
    make_user("u1@example.edu.cn", grant=("admin", "U1"))
    auth.login("u1@example.edu.cn")
    page = client.get(f"/coverage/U1?{DAY}").get_data(as_text=True)
    assert 'data-figure="compliant">1 / 7<' in page
    assert 'data-role="dorm_informant"' in page
    # the counselor ratio rule shows at the college, not at the university
    assert 'data-ratio="mh_teacher"' in page
    assert page.index('data-unit="B1"') < page.index('data-unit="C1"')  # 0 % before 30 %
    assert f"/coverage/C1?{DAY}" in page
    college = client.get(f"/coverage/C1?{DAY}").get_data(as_text=True)
    assert 'data-ratio="counselor"' in college and "450" in college


def test_figures_open_the_people_and_units_behind_them(app, tree, client, auth,  # noqa: F811
                                                       make_user):
    make_user("u1@example.edu.cn", grant=("auditor", "U1"))
    auth.login("u1@example.edu.cn")
    uncertified = client.get(f"/coverage/U1?view=uncertified&role=dorm_informant&{DAY}")
    text = uncertified.get_data(as_text=True)
    assert 'data-person="A"' in text and 'data-person="F"' in text
    assert 'data-person="B"' not in text
    expiring = client.get(f"/coverage/U1?view=expiring&{DAY}").get_data(as_text=True)
    assert 'data-person="H"' in expiring and 'data-person="B"' not in expiring
    vacancies = client.get(f"/coverage/C1?view=vacancies&role=class_teacher&{DAY}").get_data(as_text=True)
    assert 'data-unit="K1"' in vacancies and 'data-unit="K2"' in vacancies
    assert 'data-unit="C1"' not in vacancies
    searched = client.get(f"/coverage/C1?view=vacancies&q=K2&{DAY}").get_data(as_text=True)
    assert 'data-unit="K2"' in searched and 'data-unit="K1"' not in searched
    search = client.get(f"/coverage/U1?view=assigned&q=F&{DAY}").get_data(as_text=True)
    assert 'data-person="F"' in search and 'data-person="A"' not in search


def test_outside_the_scope_is_404_and_learners_have_no_coverage(app, tree, client, auth,  # noqa: F811
                                                                make_user, make_unit):
    make_unit("C2", "college", tree)
    make_user("c2@example.edu.cn", grant=("admin", "C2"))
    auth.login("c2@example.edu.cn")
    assert client.get("/coverage/C1").status_code == 404
    assert client.get("/coverage/U1").status_code == 404
    assert client.get("/coverage/C2").status_code == 200
    assert client.get("/coverage").headers["Location"].endswith("/coverage/C2")
    auth.logout()
    make_user("learner@example.edu.cn")
    auth.login("learner@example.edu.cn")
    assert client.get("/coverage/C1").status_code == 404
    assert client.get("/coverage").status_code == 404


def test_a_bad_date_is_a_clear_400(app, tree, client, auth, make_user):  # noqa: F811
    make_user("u1@example.edu.cn", grant=("admin", "U1"))
    auth.login("u1@example.edu.cn")
    response = client.get("/coverage/U1?as_of=yesterday")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.get_data(as_text=True)


def test_the_page_issues_the_same_statements_for_a_small_and_a_big_university(
        app, client, auth, roles, make_unit, make_user):
    counts = []
    for size in (10, 300):
        uni = make_unit(f"U{size}", students=size * 40)
        college = make_unit(f"C{size}", "college", uni)
        bulk_units(college, "class", f"K{size}-", size)
        klass = make_unit(f"K{size}", "class", college)
        bulk_units(klass, "dorm", f"D{size}-", size)
        bulk_people(klass, roles["class_teacher"], f"P{size}-", size)
        db.session.commit()
        make_user(f"a{size}@example.edu.cn", grant=("admin", uni.code))
        auth.login(f"a{size}@example.edu.cn")
        for view in ("summary", "assigned", "vacancies"):
            counts.append((view, statements_of_get(client, f"/coverage/{uni.code}?view={view}")))
        auth.logout()
    assert counts[:3] == counts[3:]


def test_the_workbook_has_a_sheet_per_level_vacancies_and_expiring(app, tree, client, auth,  # noqa: F811
                                                                   make_user):
    import io

    from openpyxl import load_workbook

    make_user("u1@example.edu.cn", grant=("auditor", "U1"))
    auth.login("u1@example.edu.cn")
    response = client.get(f"/coverage/U1.xlsx?{DAY}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["汇总", "学校", "学院", "班级", "寝室", "楼栋", "空缺", "即将到期"]
    dorms = [row for row in book["寝室"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[2], r[4], r[5], r[6], r[10]) for r in dorms] == [
        ("D1", "K1", 1, 2, 1, "是"), ("D2", "K1", 1, 1, 0, "否")]
    vacancies = [row[0] for row in book["空缺"].iter_rows(min_row=2, values_only=True)]
    assert vacancies == ["B1", "C1", "C1", "K1", "K2", "K2", "U1"]
    expiring = [row[0] for row in book["即将到期"].iter_rows(min_row=2, values_only=True)]
    assert expiring == ["H"]
    summary = {row[1]: row for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["dorm_informant"][2:9] == (2, 3, 1, 0, 0, 2, 0.5)
