"""Hours totals by unit, role and year: the figures, the page's scope, the xlsx, and a
query count that does not grow with the data."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import HourEntry
from models import Person
from services import hours_totals
from services import units as unit_service
from tests.statements import statements_of_get


def add_hours(person, on, hours, status="approved", ref=None):
    db.session.add(HourEntry(person_id=person.id, date=on, hours=hours, activity="workshop",
                             source="import", source_ref=ref or f"{person.number}-{on}-{hours}",
                             status=status))
    db.session.commit()


@pytest.fixture
def tree(make_unit, make_person):
    """A university with two colleges, a building, a class and a dorm, and six people."""
    uni = make_unit("U1")
    ca = make_unit("CA", "college", uni)
    cb = make_unit("CB", "college", uni)
    building = make_unit("BL", "building", uni)
    klass = make_unit("CA-K1", "class", ca)
    dorm = make_unit("CA-K1-D1", "dorm", klass)
    early = date(2025, 1, 1)
    p1 = make_person("P1", "一号", "dorm_informant", dorm, start=early)
    make_person("P1", role="class_psych_member", unit=klass, start=early)  # same college: once
    p2 = make_person("P2", "二号", "counselor", ca)
    p3 = make_person("P3", "三号", "counselor", cb)
    make_person("P3", role="dorm_manager", unit=building)                   # two children
    p4 = make_person("P4", "四号", "political_staff", uni)                   # at the university itself
    p5 = make_person("P5", "五号", "counselor", cb, start=date(2024, 9, 1), end=date(2025, 6, 30))
    make_person("P6", "六号", "subject_teacher", ca)                          # no hours
    add_hours(p1, date(2026, 3, 1), 3)
    add_hours(p1, date(2025, 12, 31), 2)
    add_hours(p1, date(2026, 3, 2), 5, status="pending")
    add_hours(p1, date(2026, 3, 3), 4, status="rejected")
    add_hours(p2, date(2026, 1, 1), 4)
    add_hours(p3, date(2026, 12, 31), 1.5)
    add_hours(p4, date(2026, 6, 1), 2)
    add_hours(p5, date(2025, 3, 1), 1)
    add_hours(p5, date(2026, 3, 1), 8)  # after the role ended: not this university's in 2026
    return dict(uni=uni, ca=ca, klass=klass)


def figures(rows):
    return [(unit.code, f.people, f.with_hours, f.hours) for unit, f in rows]


def test_totals_roll_up_to_the_direct_children(tree):
    page = hours_totals.by_child(tree["uni"], 2026)
    assert figures(page.items) == [("U1", 1, 1, 2.0), ("BL", 1, 1, 1.5), ("CA", 3, 2, 7.0),
                                   ("CB", 1, 1, 1.5)]
    total = hours_totals.unit_total(tree["uni"], 2026)
    assert (total.people, total.with_hours, total.hours) == (5, 4, 10.5)  # P3 once
    assert total.average == 2.1
    assert figures(hours_totals.by_child(tree["ca"], 2026).items) == [("CA", 2, 1, 4.0),
                                                                      ("CA-K1", 1, 1, 3.0)]
    assert figures(hours_totals.by_child(tree["klass"], 2026).items) == [("CA-K1", 1, 1, 3.0),
                                                                         ("CA-K1-D1", 1, 1, 3.0)]


def test_totals_by_role_and_by_year(tree):
    rows = [(role.code, f.people, f.hours) for role, f in hours_totals.by_role(tree["uni"], 2026)]
    assert rows == [("class_psych_member", 1, 3.0), ("counselor", 2, 5.5), ("dorm_informant", 1, 3.0),
                    ("dorm_manager", 1, 1.5), ("political_staff", 1, 2.0), ("subject_teacher", 1, 0.0)]
    assert figures(hours_totals.by_child(tree["uni"], 2025).items) == [
        ("BL", 0, 0, 0.0), ("CA", 1, 1, 2.0), ("CB", 1, 1, 1.0)]
    assert hours_totals.unit_total(tree["uni"], 2024).hours == 0.0


def test_the_per_person_rows_join_roles_and_units(tree):
    rows = list(hours_totals.person_rows(tree["ca"], 2026))
    assert rows == [
        ("P1", "一号", "寝室信息员、班级心理委员", "单位CA-K1-D1 (CA-K1-D1)、单位CA-K1 (CA-K1)", 3.0),
        ("P2", "二号", "辅导员", "单位CA (CA)", 4.0),
        ("P6", "六号", "专业教师", "单位CA (CA)", 0.0),
    ]


def test_the_page_shows_the_figures_to_readers_in_scope(client, auth, tree, make_user):
    make_user("admin@example.edu.cn", grant=("admin", "CA"))
    auth.login("admin@example.edu.cn")
    page = client.get("/hours/totals?year=2026").get_data(as_text=True)  # defaults to the grant's unit
    assert 'data-unit="CA-K1"' in page and 'data-hours="7"' in page
    assert 'data-role="counselor"' in page
    assert client.get("/hours/totals?unit=U1&year=2026").status_code == 404
    assert client.get("/hours/totals.xlsx?unit=CB").status_code == 404
    assert client.get("/hours/totals?unit=CA-K1&year=abc").status_code == 200


def test_the_xlsx_has_chinese_headers_and_a_sheet_per_person(client, auth, tree, make_user):
    make_user("auditor@example.edu.cn", grant=("auditor", "U1"))
    auth.login("auditor@example.edu.cn")
    response = client.get("/hours/totals.xlsx?unit=U1&year=2026")
    assert response.status_code == 200
    assert "hours-U1-2026.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    units, roles, people = (list(sheet.values) for sheet in book.worksheets)
    assert units[0] == ("单位编码", "单位名称", "类型", "人数", "有学时人数", "已认定学时", "人均学时")
    assert units[1][:3] == ("U1", "单位U1（本级）", "学校") and units[-1][:1] == ("合计",)
    assert units[-1][5] == 10.5
    assert roles[0][:2] == ("角色编码", "角色")
    assert people[0] == ("工号/学号", "姓名", "角色", "单位", "已认定学时")
    assert [row[0] for row in people[1:]] == ["P1", "P2", "P3", "P4", "P6"]
    assert people[3][2:] == ("宿舍管理员、辅导员", "单位BL (BL)、单位CB (CB)", 1.5)


def bulk(parent, role, prefix: str, n: int) -> None:
    """n classes under `parent`, one person per class with 1 approved hour, in a few statements."""
    ids = unit_service.ancestor_ids("class", None, parent)
    db.session.execute(db.insert(db.metadata.tables["unit"]), [
        dict(code=f"{prefix}K{i:05d}", name=f"班{i}", kind="class", parent_id=parent.id, **ids)
        for i in range(n)])
    db.session.execute(db.text("UPDATE unit SET class_id = id WHERE kind = 'class' AND class_id IS NULL"))
    units = db.session.scalars(select(db.metadata.tables["unit"].c.id)
                               .where(db.metadata.tables["unit"].c.code.like(f"{prefix}K%"))).all()
    db.session.execute(db.insert(Person), [dict(number=f"{prefix}{i:05d}", name=f"人{i}") for i in range(n)])
    people = db.session.scalars(select(Person.id).where(Person.number.like(f"{prefix}%"))
                                .order_by(Person.number)).all()
    db.session.execute(db.insert(Assignment), [dict(person_id=p, role_id=role.id, unit_id=u,
                                                    start=date(2025, 1, 1))
                                               for p, u in zip(people, units, strict=True)])
    db.session.execute(db.insert(HourEntry), [dict(person_id=p, date=date(2026, 5, 1), hours=1.0,
                                                   activity="workshop", source="import",
                                                   source_ref=f"r{p}", status="approved")
                                              for p in people])
    db.session.commit()


@pytest.mark.parametrize("path", ["/hours/totals?unit=CA&year=2026", "/hours/totals?unit=U1&year=2026",
                                  "/hours/totals.xlsx?unit=CA&year=2026"])
def test_the_totals_take_the_same_queries_for_10_and_600_people(client, auth, tree, make_user, roles,
                                                                 path):
    make_user("admin@example.edu.cn", grant=("admin", "U1"))
    auth.login("admin@example.edu.cn")
    counts = []
    for size in (10, 600):
        bulk(tree["ca"], roles["dorm_informant"], f"B{size}-", size)
        counts.append(statements_of_get(client, path))
    assert counts[0] == counts[1], counts
    ca = hours_totals.unit_total(tree["ca"], 2026)
    assert (ca.people, ca.hours) == (3 + 610, 7.0 + 610)
