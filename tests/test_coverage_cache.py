"""A province's coverage comes from its universities' snapshots, and every kind of change
under a university — through the services, a bulk import or the content files — makes
the next figures exact again (the database triggers of models.coverage)."""
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Certificate
from models import CoverageCache
from models import Program
from models import StaffingRule
from services import roster
from services.certificate_codes import new_code
from services.coverage import compute_coverage
from tests.import_files import csv_bytes
from tests.statements import recorded
from tests.test_api_queries import bulk_people
from tests.test_api_queries import bulk_units

TODAY = date.today()


@pytest.fixture
def province(make_unit, make_person):
    """P1 › U1 › C1 › K1 › D1 and P1 › U2 › C2 › K2 › D2; one informant in D1."""
    root = make_unit("P1", "province", name="示范省")
    for n in (1, 2):
        uni = make_unit(f"U{n}", "university", root)
        college = make_unit(f"C{n}", "college", uni, students=400)
        klass = make_unit(f"K{n}", "class", college, students=30)
        make_unit(f"D{n}", "dorm", klass, students=5)
    from services.units import unit_by_code

    make_person("S1", role="dorm_informant", unit=unit_by_code("D1"),
                start=TODAY - timedelta(days=30))
    db.session.add(Program(code="informant", title="信息员", roles=["dorm_informant"],
                           requires={"hours": 1}, valid_months=12))
    db.session.commit()
    return root


def informants(result) -> dict:
    return next(r for r in result.as_dict()["roles"] if r["role"] == "dorm_informant")


def live_sum(*codes: str) -> dict:
    """The same figures summed over the universities computed live (they are never cached)."""
    from services.units import unit_by_code

    totals: dict = {}
    for code in codes:
        for role in compute_coverage(unit_by_code(code), TODAY).as_dict()["roles"]:
            mine = totals.setdefault(role["role"], dict.fromkeys(role, 0))
            for key, value in role.items():
                if key not in ("role", "coverage"):
                    mine[key] += value
    return totals


def assert_exact(root) -> None:
    result = compute_coverage(root, TODAY)
    db.session.commit()
    expected = live_sum("U1", "U2")
    for role in result.as_dict()["roles"]:
        assert {k: v for k, v in role.items() if k not in ("role", "coverage")} == \
            {k: v for k, v in expected[role["role"]].items() if k not in ("role", "coverage")}


def test_the_first_call_stores_snapshots_and_the_next_reads_them(app, province):
    first = compute_coverage(province, TODAY)
    db.session.commit()
    rows = db.session.scalars(select(CoverageCache).order_by(CoverageCache.unit_id)).all()
    assert len(rows) == 2 and all(r.day == TODAY and r.snapshot_version == r.version for r in rows)
    assert informants(first)["assigned"] == 1 and informants(first)["required"] == 2
    assert first.students == 800  # each university's college counts 400
    # a snapshot is what is read: doctor one and the province shows it
    row = rows[0]
    row.payload = dict(row.payload,
                       roles={**row.payload["roles"], "dorm_informant": [2, 9, 0, 0, 0, 0]})
    db.session.commit()
    served = compute_coverage(province, TODAY)
    assert informants(served)["assigned"] == 9 and served.students == 800
    # a past day never uses snapshots
    assert informants(compute_coverage(province, TODAY - timedelta(days=1)))["assigned"] == 1


def test_a_change_through_the_services_invalidates_the_university(app, province, make_person):
    compute_coverage(province, TODAY)
    db.session.commit()
    from services.units import unit_by_code

    person = make_person("S2")
    assignment = roster.assign_role(person, roster_role("dorm_informant"), unit_by_code("D2"),
                                    TODAY - timedelta(days=1), by=None)
    db.session.commit()
    assert informants(compute_coverage(province, TODAY))["assigned"] == 2
    assert_exact(province)
    roster.end_assignment(assignment, TODAY - timedelta(days=1), by=None)
    db.session.commit()
    assert informants(compute_coverage(province, TODAY))["assigned"] == 1
    assert_exact(province)


def roster_role(code: str):
    from models import Role

    return db.session.scalar(select(Role).where(Role.code == code))


def test_certificates_issued_and_revoked_change_the_figures(app, province):
    compute_coverage(province, TODAY)
    db.session.commit()
    from models import Person

    holder = db.session.scalar(select(Person).where(Person.number == "S1"))
    program = db.session.scalar(select(Program))
    certificate = Certificate(code=new_code(), person_id=holder.id, program_id=program.id,
                              issued=TODAY - timedelta(days=3), expires=TODAY + timedelta(days=300))
    db.session.add(certificate)
    db.session.commit()
    assert informants(compute_coverage(province, TODAY))["certified"] == 1
    db.session.commit()
    from datetime import datetime

    certificate.revoked_at = datetime(TODAY.year, TODAY.month, TODAY.day) - timedelta(days=1)
    db.session.commit()
    assert informants(compute_coverage(province, TODAY))["certified"] == 0
    assert_exact(province)


def test_bulk_imports_and_content_files_invalidate_too(app, province, runner, tmp_path):
    compute_coverage(province, TODAY)
    db.session.commit()
    people = tmp_path / "people.csv"
    start = (TODAY - timedelta(days=2)).isoformat()
    people.write_bytes(csv_bytes([["工号/学号", "姓名", "角色", "单位编码", "开始日期"],
                                  ["S9", "王五", "dorm_informant", "D2", start]]))
    assert runner.invoke(args=["roster", "people", str(people)]).exit_code == 0
    assert informants(compute_coverage(province, TODAY))["assigned"] == 2
    db.session.commit()
    units = tmp_path / "units.csv"
    units.write_bytes(csv_bytes([["单位编码", "单位名称", "类型", "上级编码", "学生人数"],
                                 ["D3", "3号寝室", "寝室", "K2", "4"]]))
    assert runner.invoke(args=["roster", "units", str(units)]).exit_code == 0
    assert informants(compute_coverage(province, TODAY))["required"] == 3
    db.session.commit()
    rule = db.session.scalar(select(StaffingRule).where(StaffingRule.unit_kind == "dorm"))
    rule.min = 2
    db.session.commit()
    assert informants(compute_coverage(province, TODAY))["required"] == 6
    assert_exact(province)


def test_a_warm_province_issues_the_same_statements_at_two_sizes(app, client, auth, roles,
                                                                 make_unit, make_user):
    counts = []
    for size in (5, 200):
        root = make_unit(f"P{size}", "province")
        for n in range(3):
            uni = make_unit(f"U{size}-{n}", "university", root)
            college = make_unit(f"C{size}-{n}", "college", uni)
            bulk_units(college, "class", f"K{size}-{n}-", size)
            klass = make_unit(f"K{size}-{n}", "class", college)
            bulk_units(klass, "dorm", f"D{size}-{n}-", size)
            bulk_people(klass, roles["class_teacher"], f"T{size}-{n}-", size)
        db.session.commit()
        make_user(f"p{size}@example.edu.cn", grant=("auditor", root.code))
        auth.login(f"p{size}@example.edu.cn")
        path = f"/coverage/{root.code}"
        assert client.get(path).status_code == 200  # computes and stores the snapshots
        with recorded() as statements:
            page = client.get(path)
        assert page.status_code == 200
        assert not any(s.lstrip().upper().startswith("UPDATE COVERAGE_CACHE") for s in statements)
        counts.append(len(statements))
        auth.logout()
    assert counts[0] == counts[1]
