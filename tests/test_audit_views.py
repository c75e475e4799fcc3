"""The audit log: every sign-in and change; superadmins read all of it, admins their units'."""
import csv
import io

import pytest
from openpyxl import load_workbook

from extensions import db
from services import audit


def test_superadmin_sees_failed_and_successful_sign_ins(client, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("root@example.edu.cn", "wrong-password")
    auth.login("root@example.edu.cn")
    html = client.get("/audit").get_data(as_text=True)
    assert "auth.login_failed" in html
    assert "auth.login" in html
    assert "grant.added" in html


def test_audit_log_filters_by_action(client, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    auth.login("nobody@example.edu.cn", "whatever-password")
    auth.login("root@example.edu.cn")
    html = client.get("/audit?action=auth.login_failed").get_data(as_text=True)
    assert "nobody@example.edu.cn" in html
    assert "grant.added</code>" not in html


@pytest.mark.parametrize("grant", [None, ("trainer", "U1"), ("auditor", "U1")])
@pytest.mark.parametrize("path", ["/audit", "/audit.xlsx", "/audit.csv"])
def test_only_admins_and_superadmins_see_the_audit_log(client, auth, make_user, make_unit, grant,
                                                       path):
    make_unit("U1")
    make_user("someone@example.edu.cn", grant=grant)
    auth.login("someone@example.edu.cn")
    assert client.get(path).status_code == 404


def test_command_line_changes_are_labelled_as_such(client, auth, runner, make_user, make_unit):
    make_unit("U1")
    make_user("root@example.edu.cn", grant=("superadmin", None))
    runner.invoke(args=["users", "create", "new@example.edu.cn", "--name", "新人",
                        "--password", "long-enough-1", "--admin-of", "U1"])
    auth.login("root@example.edu.cn")
    html = client.get("/audit?action=grant.added&lang=en").get_data(as_text=True)
    assert "(command line)" in html


@pytest.fixture
def two_units(make_unit, make_person, make_user):
    """Colleges CA and CB of one university, a person and an admin in each."""
    uni = make_unit("U1")
    for side in "AB":
        college = make_unit(f"C{side}", "college", uni)
        make_person(f"P{side}", name=f"学生{side}", role="dorm_informant", unit=college)
        make_user(f"admin-{side.lower()}@example.edu.cn", grant=("admin", f"C{side}"))
    make_user("root@example.edu.cn", grant=("superadmin", None))
    for side in "AB":
        audit.record("person.created", target=("person", f"P{side}"), name=f"学生{side}")
        audit.record("unit.renamed", target=("unit", f"C{side}"), ip=f"=HYPERLINK(\"{side}\")")
    audit.record("module.saved", target=("module", "night-call"))
    db.session.commit()


def rows_of(client, path: str) -> list[list[str]]:
    """The export's rows; xlsx formulas come back as "FORMULA:" + text."""
    if path.endswith(".csv"):
        text = client.get(path).get_data().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))[1:]
    sheet = load_workbook(io.BytesIO(client.get(path).get_data())).active
    return [[("FORMULA:" if c.data_type == "f" else "") + str(c.value or "") for c in row]
            for row in sheet.iter_rows(min_row=2)]


def test_an_admin_sees_only_the_events_of_their_units(client, auth, two_units):
    auth.login("admin-b@example.edu.cn")
    html = client.get("/audit?lang=en").get_data(as_text=True)
    assert "PB" in html and "CB" in html
    assert "PA" not in html and "CA" not in html and "night-call" not in html
    assert "admin-a@example.edu.cn" not in html  # admin A's sign-in is A's business


@pytest.mark.parametrize("path", ["/audit.csv", "/audit.xlsx"])
def test_exports_are_scoped_and_formula_safe(client, auth, two_units, path):
    auth.login("admin-b@example.edu.cn")
    rows = rows_of(client, path)
    targets = {(row[3], row[4]) for row in rows}
    assert ("person", "PB") in targets and ("unit", "CB") in targets
    assert not {("person", "PA"), ("unit", "CA"), ("module", "night-call")} & targets
    [ip] = [row[5] for row in rows if row[4] == "CB"]
    assert ip == ("'" if path.endswith(".csv") else "") + '=HYPERLINK("B")'


def test_the_superadmin_filters_by_actor_target_date_and_text(client, auth, two_units):
    auth.login("root@example.edu.cn")
    assert "PA" in client.get("/audit?target=person:PA").get_data(as_text=True)
    assert "PB" not in client.get("/audit?target=person:PA").get_data(as_text=True)
    assert "night-call" in client.get("/audit?target=night-call").get_data(as_text=True)
    # free text finds Chinese inside the details, however the JSON spelled it
    page = client.get("/audit?q=学生A").get_data(as_text=True)
    assert "PA" in page and "PB" not in page
    by_root = client.get("/audit?actor=root@example").get_data(as_text=True)
    assert "auth.login</code>" in by_root and "person.created</code>" not in by_root
    assert "1 entries" in client.get("/audit?actor=root&action=auth.login&lang=en").get_data(
        as_text=True)
    assert "0 entries" in client.get("/audit?since=2099-01-01&lang=en").get_data(as_text=True)
    assert "0 entries" in client.get("/audit?until=2000-01-01&lang=en").get_data(as_text=True)
    assert "person.created</code>" in client.get("/audit?since=2000-01-01&until=2099-12-31").get_data(
        as_text=True)
    assert client.get("/audit?since=yesterday").status_code == 400


def test_the_log_is_paginated(client, auth, make_user):
    make_user("root@example.edu.cn", grant=("superadmin", None))
    for n in range(60):
        audit.record("demo.step", target=("unit", f"X{n:02d}"))
    db.session.commit()
    auth.login("root@example.edu.cn")
    first = client.get("/audit?action=demo.step&lang=en").get_data(as_text=True)
    second = client.get("/audit?action=demo.step&page=2&lang=en").get_data(as_text=True)
    assert "X59" in first and "X00" not in first
    assert "X00" in second and "X59" not in second
    assert "Page 2 of 2" in second


def test_no_route_can_change_the_audit_log(app):
    audit_rules = [r for r in app.url_map.iter_rules()
                   if "audit" in r.rule or "audit" in r.endpoint]
    assert audit_rules
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule
