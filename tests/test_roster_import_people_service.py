"""Importing people and their roles (SPEC §3): matching, idempotence, scope and bad rows."""
from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import AuditEvent
from models import Person
from models import Role
from models import Unit
from services.errors import ValidationFailed
from services.roster_import import import_people
from services.roster_import import import_units
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import PEOPLE_HEADERS_ZH
from tests.import_files import UNIT_HEADERS
from tests.import_files import UNITS
from tests.import_files import write_file

TODAY = date(2026, 11, 28)
PEOPLE = [
    ["S001", "张三", "dorm_informant", "D1", "", "", "2026-09-01", ""],
    ["S001", "张三", "班级心理委员", "K1", "zhang@example.edu.cn", "", "", ""],
    ["T001", "李老师", "辅导员", "C1", "", 13800138000, date(2025, 9, 1), "2026/7/1"],
    ["T002", "王老师", "Counselor", "C2", "", "", "", ""],
]


@pytest.fixture
def units(app, roles, tmp_path):
    import_units(write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()


def run(tmp_path, rows, headers=PEOPLE_HEADERS, name="people.csv", **kwargs):
    return import_people(write_file(tmp_path, name, [headers, *rows]), today=TODAY, **kwargs)


def holdings() -> set[tuple]:
    rows = db.session.execute(select(Person.number, Assignment.role_id, Assignment.start, Assignment.end)
                              .join(Assignment.person))
    codes = {r.id: r.code for r in db.session.scalars(select(Role))}
    return {(number, codes[role], start, end) for number, role, start, end in rows}


def test_people_with_several_roles_from_excel(units, tmp_path):
    result = run(tmp_path, PEOPLE, headers=PEOPLE_HEADERS_ZH, name="人员.xlsx")
    db.session.commit()
    assert str(result) == "created 4, updated 0, unchanged 0"
    assert holdings() == {
        ("S001", "dorm_informant", date(2026, 9, 1), None),
        ("S001", "class_psych_member", TODAY, None),
        ("T001", "counselor", date(2025, 9, 1), date(2026, 7, 1)),
        ("T002", "counselor", TODAY, None),
    }
    zhang = db.session.scalar(select(Person).where(Person.number == "S001"))
    assert (zhang.name, zhang.email) == ("张三", "zhang@example.edu.cn")
    assert db.session.scalar(select(Person.phone).where(Person.number == "T001")) == "13800138000"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.import_people"))
    assert event.detail == {"created": 4, "updated": 0, "unchanged": 0, "rows": 4}


def test_people_added_after_an_import_get_fresh_ids(units, tmp_path, make_person):
    run(tmp_path, PEOPLE, headers=PEOPLE_HEADERS_ZH, name="人员.xlsx")
    db.session.commit()
    imported = set(db.session.scalars(select(Person.id)))
    later = make_person("LATER1", name="后来者")
    assert later.id not in imported


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_reimport_changes_nothing(units, tmp_path, encoding):
    path = write_file(tmp_path, "p.csv", [PEOPLE_HEADERS_ZH, *PEOPLE], encoding=encoding)
    import_people(path, today=TODAY)
    db.session.commit()
    before = holdings()
    again = import_people(path, today=date(2027, 3, 1))
    db.session.commit()
    assert str(again) == "created 0, updated 0, unchanged 4"
    assert holdings() == before


def test_end_dates_end_assignments_and_history_is_kept(units, tmp_path):
    run(tmp_path, PEOPLE)
    result = run(tmp_path, [["S001", "张三", "dorm_informant", "D1", "", "", "", "2026-12-31"],
                            ["S001", "张三", "dorm_informant", "D2", "", "", "2027-01-01", ""]])
    assert str(result) == "created 1, updated 1, unchanged 0"
    assert {h for h in holdings() if h[1] == "dorm_informant"} == {
        ("S001", "dorm_informant", date(2026, 9, 1), date(2026, 12, 31)),
        ("S001", "dorm_informant", date(2027, 1, 1), None),
    }
    again = run(tmp_path, [["S001", "张三", "dorm_informant", "D1", "", "", "", "2026-12-31"]])
    assert str(again) == "created 0, updated 0, unchanged 1"


def test_details_update_and_empty_cells_leave_them_alone(units, tmp_path):
    run(tmp_path, PEOPLE)
    result = run(tmp_path, [["S001", "张叁", "dorm_informant", "D1", "", "", "2026-09-01", ""],
                            ["T001", "李老师", "counselor", "C1", "li@example.edu.cn", "", "2025-09-01", ""]])
    assert str(result) == "created 0, updated 2, unchanged 0"
    people = {p.number: p for p in db.session.scalars(select(Person))}
    assert (people["S001"].name, people["S001"].email) == ("张叁", "zhang@example.edu.cn")
    assert (people["T001"].email, people["T001"].phone) == ("li@example.edu.cn", "13800138000")


def test_a_later_term_of_an_earlier_ended_role_is_a_new_assignment(units, tmp_path):
    run(tmp_path, [["T001", "李老师", "counselor", "C1", "", "", "2024-09-01", "2025-07-01"]])
    result = run(tmp_path, [["T001", "李老师", "counselor", "C1", "", "", "2025-09-01", ""],
                            ["T001", "李老师", "counselor", "C1", "", "", "2024-09-01", "2025-07-01"]])
    assert str(result) == "created 1, updated 0, unchanged 1"


GOOD = ["S8", "好人", "dorm_informant", "D2", "", "", "", ""]


def bad(row, expected, after_good=False):
    """A file with one bad row (and a good one): the bad row is row 2, or row 3 after_good."""
    rows = [GOOD, row] if after_good else [row, GOOD]
    return pytest.param(rows, expected, id=expected.split(": ", 1)[1][:40])


BAD_PEOPLE_ROWS = [
    bad(["S9", "某人", "wizard", "D1", "", "", "", ""], "row 2, column role: unknown role wizard"),
    bad(["S9", "某人", "dorm_informant", "NOPE", "", "", "", ""], "row 2, column unit: no such unit NOPE"),
    bad(["S9", "某人", "dorm_informant", "D1", "", "", "2026-13-01", ""],
        "row 2, column start: 2026-13-01 is not a date (use YYYY-MM-DD)"),
    bad(["S9", "某人", "dorm_informant", "D1", "", "", "next week", ""],
        "row 2, column start: next week is not a date (use YYYY-MM-DD)"),
    bad(["S9", "某人", "dorm_informant", "D1", "", "", "2026-09-01", "2026-08-31"],
        "row 2, column end: 2026-08-31 is before the start date 2026-09-01"),
    bad(["S9", "某人", "dorm_informant", "D1", "", "", "", "2026-01-01"],
        "row 2, column end: the end date 2026-01-01 would be before the start date 2026-11-28"),
    bad(["S9", "某人", "dorm_informant", "D1", "not-an-email", "", "", ""],
        "row 2, column email: not-an-email is not an email address"),
    bad(["S9", "某人", "dorm_informant", "D1", "", "call me", "", ""],
        "row 2, column phone: call me is not a phone number"),
    bad(["", "某人", "dorm_informant", "D1", "", "", "", ""], "row 2, column number: a value is required"),
    bad(["S9", "", "dorm_informant", "D1", "", "", "", ""], "row 2, column name: a value is required"),
    bad(["S8", "好人", "dorm_informant", "D2", "", "", "", ""],
        "row 3, column number: same person, role, unit and start as row 2", after_good=True),
    bad(["S8", "别名", "counselor", "C1", "", "", "", ""],
        "row 3, column name: 别名 differs from 好人 on row 2 for the same number", after_good=True),
]


@pytest.mark.parametrize("rows, expected", BAD_PEOPLE_ROWS)
@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
def test_each_bad_row_is_reported_and_nothing_is_written(units, tmp_path, rows, expected, extension):
    with pytest.raises(ValidationFailed) as failed:
        run(tmp_path, rows, name="bad" + extension)
    assert failed.value.problems == [expected]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Person.id))) == 0
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_missing_columns_are_reported_in_the_files_language(units, tmp_path):
    with pytest.raises(ValidationFailed) as failed:
        run(tmp_path, [["S1", "张三", "D1"]], headers=["学号", "姓名", "单位编码"])
    assert failed.value.problems == ["row 1, column 角色: missing column"]


def test_dry_run_writes_nothing(units, tmp_path):
    result = run(tmp_path, PEOPLE, dry_run=True)
    assert (result.created, result.dry_run) == (4, True)
    assert db.session.scalar(select(func.count(Person.id))) == 0


@pytest.fixture
def college_admin(units, make_user):
    assert db.session.scalar(select(Unit.id).where(Unit.code == "C1"))
    return make_user("admin-c1@example.edu.cn", grant=("admin", "C1"))


def test_a_college_admin_imports_into_their_college_only(college_admin, tmp_path):
    rows = [["S001", "张三", "dorm_informant", "D1", "", "", "", ""],
            ["T002", "王老师", "counselor", "C2", "", "", "", ""],
            ["T003", "赵老师", "mh_teacher", "U1", "", "", "", ""]]
    with pytest.raises(ValidationFailed) as failed:
        run(tmp_path, rows, by=college_admin)
    assert failed.value.problems == ["row 3, column unit: no such unit C2",
                                     "row 4, column unit: no such unit U1"]
    assert str(run(tmp_path, rows[:1], by=college_admin)) == "created 1, updated 0, unchanged 0"


def test_a_person_outside_the_admins_scope_keeps_their_details(college_admin, tmp_path):
    run(tmp_path, [["T002", "王老师", "counselor", "C2", "wang@example.edu.cn", "", "", ""]])
    db.session.commit()
    with pytest.raises(ValidationFailed) as failed:
        run(tmp_path, [["T002", "冒名", "class_teacher", "K2", "", "", "", ""]], by=college_admin)
    assert failed.value.problems == ["row 2, column number: number T002 is already in use by another person"]
    rows = [["T002", "王老师", "class_teacher", "K1", "spoof@example.edu.cn", "", "", ""]]
    assert run(tmp_path, rows, by=college_admin).created == 1
    assert db.session.scalar(select(Person.email).where(Person.number == "T002")) == "wang@example.edu.cn"


def test_overlapping_holdings_of_one_role_at_one_unit_are_refused(units, tmp_path):
    run(tmp_path, [["T001", "李老师", "counselor", "C1", "", "", "2024-09-01", "2025-07-01"]])
    db.session.commit()
    rows = [["T001", "李老师", "counselor", "C1", "", "", "2025-03-01", "2025-08-01"],
            ["S001", "张三", "dorm_informant", "D1", "", "", "2026-09-01", ""],
            ["S001", "张三", "dorm_informant", "D1", "", "", "2027-09-01", ""]]
    with pytest.raises(ValidationFailed) as failed:
        run(tmp_path, rows)
    assert failed.value.problems == [
        "row 2, column start: overlaps this person's assignment of the same role at this unit "
        "from 2024-09-01 to 2025-07-01",
        "row 4, column start: overlaps row 3: the same person, role and unit at the same time",
    ]
    assert db.session.scalar(select(func.count(Assignment.id))) == 1
