"""The coverage rule of SPEC §5 at its edges, the same through the service, the CLI JSON
and the API, and a fixed number of statements however big the subtree."""
import json
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from extensions import db
from models import Certificate
from models import Program
from services import accounts
from services.certificate_codes import new_code
from services.coverage import compute_coverage
from tests.statements import statements_of_get
from tests.test_api import bearer
from tests.test_api_queries import bulk_people
from tests.test_api_queries import bulk_units

AS_OF = date(2026, 11, 28)

YEAR_AGO = date(2025, 11, 28)


def program(code: str, roles: list[str]) -> Program:
    item = Program(code=code, title=code, roles=roles, requires={}, valid_months=12)
    db.session.add(item)
    db.session.flush()
    return item


def certify(person, prog: Program, issued: date, expires: date, revoked: bool = False) -> None:
    db.session.add(Certificate(code=new_code(), person_id=person.id, program_id=prog.id,
                               issued=issued, expires=expires,
                               revoked_at=datetime(2026, 10, 1) if revoked else None))
    db.session.commit()


@pytest.fixture
def tree(make_unit, make_person):
    """U1 › C1 (450 students) › K1 › D1, D2; C1 › K2; U1 › B1 (a building, no students field)."""
    u1 = make_unit("U1")
    c1 = make_unit("C1", "college", u1, students=450)
    k1 = make_unit("K1", "class", c1)
    make_unit("K2", "class", c1)
    d1 = make_unit("D1", "dorm", k1)
    d2 = make_unit("D2", "dorm", k1)
    make_unit("B1", "building", u1)
    informants = program("informant", ["dorm_informant", "class_psych_member"])
    counselors = program("counselor", ["counselor"])
    # D1: two informants — A's certificate expires today (not valid), B's in exactly 30 days
    certify(make_person("A", role="dorm_informant", unit=d1), informants, YEAR_AGO, AS_OF)
    certify(make_person("B", role="dorm_informant", unit=d1), informants, YEAR_AGO,
            AS_OF + timedelta(days=30))
    # D2: C starts tomorrow, E ended yesterday; F holds only a counselor certificate and a
    # revoked informant one
    make_person("C", role="dorm_informant", unit=d2, start=AS_OF + timedelta(days=1))
    make_person("E", role="dorm_informant", unit=d2, start=date(2025, 9, 1),
                end=AS_OF - timedelta(days=1))
    f = make_person("F", role="dorm_informant", unit=d2)
    certify(f, counselors, YEAR_AGO, date(2027, 6, 1))
    certify(f, informants, YEAR_AGO, date(2027, 6, 1), revoked=True)
    # K1's committee member is certified but expires in 29 days
    certify(make_person("H", role="class_psych_member", unit=k1), informants, YEAR_AGO,
            AS_OF + timedelta(days=29))
    # C1 needs ceil(450 / 200) = 3 counselors and has one, certified
    certify(make_person("I", role="counselor", unit=c1), counselors, YEAR_AGO, date(2027, 6, 1))
    return u1


EXPECTED_ROLES = [
    # role, required, assigned, certified, expiring, vacancies, uncertified, coverage
    ("class_psych_member", 2, 1, 1, 1, 1, 0, 0.5),
    ("class_teacher", 2, 0, 0, 0, 2, 0, 0.0),
    ("college_psych_officer", 1, 0, 0, 0, 1, 0, 0.0),
    ("counselor", 3, 1, 1, 0, 2, 0, 0.333),
    ("dorm_informant", 2, 3, 1, 0, 0, 2, 0.5),
    ("dorm_manager", 1, 0, 0, 0, 1, 0, 0.0),
    # students(U1) = 450 from its college: max(2, ceil(450 / 4000)) = 2
    ("mh_teacher", 2, 0, 0, 0, 2, 0, 0.0),
]
FIELDS = ("role", "required", "assigned", "certified", "expiring", "vacancies", "uncertified",
          "coverage")


def test_the_rule_at_its_edges(app, tree):
    result = compute_coverage(tree, AS_OF).as_dict()
    assert result["unit"] == {"code": "U1", "name": "单位U1", "kind": "university", "students": 450}
    assert result["as_of"] == "2026-11-28"
    assert [tuple(r[f] for f in FIELDS) for r in result["roles"]] == EXPECTED_ROLES
    # units with rules: U1, C1, K1, K2, D1, D2, B1; only D1 has every rule met
    assert result["units"] == {"total": 7, "compliant": 1}
    children = {c["code"]: c for c in result["children"]}
    assert [c["code"] for c in result["children"]] == ["B1", "C1"]
    assert children["B1"]["units"] == {"total": 1, "compliant": 0}
    assert children["B1"]["compliant"] is False
    assert children["C1"]["units"] == {"total": 5, "compliant": 1}
    # C1: (1 + 0 + 0 + 1 + 1) covered of (2 + 2 + 1 + 3 + 2) required
    assert children["C1"]["coverage"] == 0.3
    assert [r["role"] for r in children["C1"]["roles"]] == [
        "class_psych_member", "class_teacher", "college_psych_officer", "counselor",
        "dorm_informant"]


def test_a_dorm_with_everything_met_is_compliant_and_fully_covered(app, tree):
    from services.units import unit_by_code

    result = compute_coverage(unit_by_code("D1"), AS_OF).as_dict()
    assert result["units"] == {"total": 1, "compliant": 1}
    assert result["roles"][0]["coverage"] == 1.0
    assert result["children"] == []
    assert result["unit"]["students"] is None


def test_the_day_a_certificate_expires_it_stops_counting(app, tree):
    before = compute_coverage(tree, AS_OF - timedelta(days=1)).as_dict()
    informant = next(r for r in before["roles"] if r["role"] == "dorm_informant")
    # the day before, A is still certified and E (who ended yesterday) still assigned
    assert (informant["assigned"], informant["certified"]) == (4, 2)


def test_a_subtree_with_no_rules_is_fully_covered(app, make_unit):
    building = make_unit("B9", "building", make_unit("U9"))
    from models import StaffingRule

    db.session.execute(db.delete(StaffingRule))
    db.session.commit()
    result = compute_coverage(building, AS_OF).as_dict()
    assert result["roles"] == [] and result["units"] == {"total": 0, "compliant": 0}


def test_cli_json_and_api_print_the_same(app, tree, runner, client, make_user):
    out = runner.invoke(args=["coverage", "U1", "--json", "--as-of", "2026-11-28"])
    assert out.exit_code == 0, out.output
    token = accounts.create_token(make_user("root@example.edu.cn", grant=("superadmin", None)))
    db.session.commit()
    response = client.get("/api/v1/units/U1/coverage?as_of=2026-11-28", headers=bearer(token))
    assert response.status_code == 200
    assert json.loads(out.output) == response.get_json()
    assert response.get_json()["roles"][4]["certified"] == 1


def test_cli_table_and_unknown_unit(app, tree, runner):
    out = runner.invoke(args=["coverage", "U1", "--as-of", "2026-11-28"])
    assert out.exit_code == 0
    assert "dorm_informant" in out.output and "1/5 compliant" in out.output
    missing = runner.invoke(args=["coverage", "NOPE"])
    assert missing.exit_code == 1 and "NOPE" in missing.output


def test_another_colleges_admin_gets_404(app, tree, client, make_user, make_unit):
    other = make_unit("C2", "college", tree)
    token = accounts.create_token(make_user("c2@example.edu.cn", grant=("admin", other.code)))
    db.session.commit()
    assert client.get("/api/v1/units/C1/coverage", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/units/C1/vacancies", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/units/C2/coverage", headers=bearer(token)).status_code == 200


def test_vacancies_list_the_units_and_roles_behind_the_figure(app, tree, client, make_user):
    token = accounts.create_token(make_user("c1@example.edu.cn", grant=("auditor", "C1")))
    db.session.commit()
    response = client.get("/api/v1/units/C1/vacancies?as_of=2026-11-28", headers=bearer(token))
    body = response.get_json()
    assert [(v["unit"], v["role"], v["vacancies"]) for v in body["items"]] == [
        ("C1", "college_psych_officer", 1), ("C1", "counselor", 2),
        ("K1", "class_teacher", 1), ("K2", "class_psych_member", 1), ("K2", "class_teacher", 1)]
    assert body["total"] == 5 and body["page"] == 1
    only = client.get("/api/v1/units/C1/vacancies?role=counselor&as_of=2026-11-28",
                      headers=bearer(token)).get_json()
    assert [v["unit"] for v in only["items"]] == ["C1"]
    paged = client.get("/api/v1/units/C1/vacancies?per_page=2&page=3&as_of=2026-11-28",
                       headers=bearer(token)).get_json()
    assert [v["unit"] for v in paged["items"]] == ["K2"]


@pytest.mark.parametrize("path", ["/api/v1/units/{code}/coverage", "/api/v1/units/{code}/vacancies"])
def test_the_same_statements_for_a_small_and_a_big_college(app, client, roles, make_unit,
                                                          make_user, path):
    uni = make_unit("U1")
    counts = []
    for size in (10, 400):
        college = make_unit(f"C{size}", "college", uni, students=size * 30)
        klass = make_unit(f"K{size}", "class", college)
        bulk_units(college, "class", f"K{size}-", size)
        bulk_units(klass, "dorm", f"D{size}-", size)
        bulk_people(klass, roles["class_teacher"], f"P{size}-", size)
        db.session.commit()
        token = accounts.create_token(make_user(f"a{size}@example.edu.cn", grant=("admin", college.code)))
        db.session.commit()
        counts.append(statements_of_get(client, path.format(code=college.code),
                                        headers=bearer(token)))
    assert counts[0] == counts[1]
